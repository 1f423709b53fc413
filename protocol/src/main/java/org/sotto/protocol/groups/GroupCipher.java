package org.sotto.protocol.groups;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.message.SenderKeyMessage;
import org.sotto.protocol.ratchet.ChainKey;

/**
 * Encrypts group messages with our sending key and decrypts those of other members with the keys
 * they distributed ({@link GroupSessionBuilder}). Decryption works on a copy of the sender's record
 * and stores it only after the signature has been verified and the ciphertext decrypted, so a
 * failed decrypt never changes stored state. Holds no state of its own; not thread-safe with
 * respect to other operations on the same (sender, distribution id).
 */
public final class GroupCipher {
  /**
   * How far ahead of a chain a message's iteration may be. Each skipped step costs two HMACs;
   * beyond this a message is rejected rather than letting a sender make us compute without bound
   * (libsignal's limit).
   */
  public static final int MAX_FORWARD_JUMPS = 25_000;

  /**
   * The highest iteration a chain can reach: iterations are Java ints here (u32 in libsignal), so
   * the key after this one has no index. Two billion messages on one chain never happen honestly; a
   * message that claims a higher iteration is rejected, and a sending chain this long refuses to
   * encrypt.
   */
  public static final int MAX_ITERATION = Integer.MAX_VALUE - 1;

  private final SenderKeyStore store;

  /** A cipher keeping its state in {@code store}. */
  public GroupCipher(SenderKeyStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Encrypts {@code plaintext} for the group with our sending key under {@code distributionId} and
   * advances the chain.
   *
   * @param self our own address, under which {@link GroupSessionBuilder#create} stored the key
   * @param rng supplies the random input of the signature
   * @throws NoSessionException we have no sending key for {@code distributionId} (call {@link
   *     GroupSessionBuilder#create} first), or its chain is exhausted
   */
  public SenderKeyMessage encrypt(
      ProtocolAddress self, UUID distributionId, byte[] plaintext, SecureRandom rng)
      throws NoSessionException {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(distributionId, "distributionId");
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(rng, "rng");
    SenderKeyRecord record = store.loadSenderKey(self, distributionId);
    SenderKeyState state = record == null ? null : record.newestState();
    if (state == null || !state.hasSigningPrivateKey()) {
      throw new NoSessionException("no sending key for distribution " + distributionId);
    }
    ChainKey chainKey = state.chainKey();
    if (chainKey.index() > MAX_ITERATION) {
      throw new NoSessionException("sending chain for distribution " + distributionId + " ended");
    }
    SenderMessageKey keys = SenderMessageKey.derive(chainKey.index(), chainKey.messageKeySeed());
    byte[] ciphertext = Crypto.aesCbcEncrypt(keys.cipherKey(), keys.iv(), plaintext);
    SenderKeyMessage message =
        SenderKeyMessage.create(
            distributionId,
            state.chainId(),
            chainKey.index(),
            ciphertext,
            state.signingPrivateKey(),
            rng);
    state.setChainKey(chainKey.next());
    record.setState(state);
    store.storeSenderKey(self, distributionId, record);
    return message;
  }

  /**
   * Decrypts a serialized {@link SenderKeyMessage} from {@code sender}.
   *
   * @throws InvalidMessageException the message is malformed, its signature is not the sender's, it
   *     is too far ahead of the chain, or it does not decrypt
   * @throws DuplicateMessageException the message was already received (its key is used up)
   * @throws NoSessionException we hold no key of {@code sender} for the message's distribution id
   *     and chain (its distribution message has not arrived, or we were removed from the group)
   */
  public byte[] decrypt(ProtocolAddress sender, byte[] serializedSenderKeyMessage)
      throws InvalidMessageException, DuplicateMessageException, NoSessionException {
    Objects.requireNonNull(sender, "sender");
    SenderKeyMessage message = SenderKeyMessage.fromBytes(serializedSenderKeyMessage);
    SenderKeyRecord record = store.loadSenderKey(sender, message.distributionId());
    if (record == null) {
      throw new NoSessionException(
          "no sender key of " + sender + " for distribution " + message.distributionId());
    }
    SenderKeyState state = record.stateForChainId(message.chainId());
    if (state == null) {
      throw new NoSessionException(
          "no sender key of "
              + sender
              + " for distribution "
              + message.distributionId()
              + " and chain "
              + Integer.toUnsignedString(message.chainId()));
    }
    if (!message.verifySignature(state.signingKey())) {
      throw new InvalidMessageException("bad signature on sender key message from " + sender);
    }
    SenderMessageKey keys = messageKey(state, message.iteration());
    byte[] plaintext = Crypto.aesCbcDecrypt(keys.cipherKey(), keys.iv(), message.ciphertext());
    record = record.copy();
    record.setState(state);
    store.storeSenderKey(sender, message.distributionId(), record);
    return plaintext;
  }

  /**
   * The key for {@code iteration}: a stored skipped key, or the chain advanced to it (storing the
   * keys it passes, at most {@link SenderKeyRecord#MAX_MESSAGE_KEYS}). Changes only {@code state},
   * a copy.
   */
  private static SenderMessageKey messageKey(SenderKeyState state, int iteration)
      throws InvalidMessageException, DuplicateMessageException {
    ChainKey chainKey = state.chainKey();
    if (chainKey.index() > iteration) {
      byte[] seed = state.removeMessageKeySeed(iteration);
      if (seed == null) {
        throw new DuplicateMessageException(
            "sender key message with old iteration " + chainKey.index() + " / " + iteration);
      }
      return SenderMessageKey.derive(iteration, seed);
    }
    if (iteration > MAX_ITERATION || iteration - chainKey.index() > MAX_FORWARD_JUMPS) {
      throw new InvalidMessageException("sender key message is too far into the future");
    }
    int firstStored = iteration - SenderKeyRecord.MAX_MESSAGE_KEYS;
    while (chainKey.index() < iteration) {
      if (chainKey.index() >= firstStored) {
        state.addMessageKeySeed(chainKey.index(), chainKey.messageKeySeed());
      }
      chainKey = chainKey.next();
    }
    state.setChainKey(chainKey.next());
    return SenderMessageKey.derive(iteration, chainKey.messageKeySeed());
  }
}
