package org.sotto.protocol;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.Addresses;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.ratchet.ChainKey;
import org.sotto.protocol.ratchet.MessageKeys;
import org.sotto.protocol.ratchet.Pqxdh;
import org.sotto.protocol.ratchet.RootKey;
import org.sotto.protocol.spqr.PqRatchet;
import org.sotto.protocol.spqr.PqRatchetMessage;
import org.sotto.protocol.state.IdentityKeyStore.Direction;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SessionState;
import org.sotto.protocol.state.SessionState.PendingPreKey;
import org.sotto.protocol.state.SignalProtocolStore;
import org.sotto.protocol.state.SignedPreKeyRecord;

/**
 * Encrypts and decrypts 1:1 messages with one remote device (Double Ratchet), and completes PQXDH
 * as the responder on a first {@link PreKeySignalMessage}. Decryption works on a copy of the
 * session record and stores it only after the MAC and the identity's trust have been checked, so a
 * failed decrypt never changes stored state. Not thread-safe with respect to other operations on
 * the same remote address.
 */
public final class SessionCipher {
  /**
   * How far ahead of the receiving chain a message counter may be. Each skipped step costs two
   * HMACs; beyond this a message is rejected rather than letting a sender make us compute without
   * bound (libsignal's limit).
   */
  public static final int MAX_FORWARD_JUMPS = 25_000;

  /**
   * An initiator whose first messages have not been answered for this long stops using the session
   * (libsignal's rule): the responder's prekeys may well be gone, and a fresh bundle is needed.
   */
  public static final Duration MAX_UNACKNOWLEDGED_SESSION_AGE = Duration.ofDays(30);

  /**
   * The highest message counter a chain can reach: chain indexes are Java ints, so the key after
   * this one has no index. Two billion messages on one chain never happen honestly; a message that
   * claims this counter is rejected, and a sending chain this long refuses to encrypt.
   */
  public static final int MAX_CHAIN_INDEX = Integer.MAX_VALUE - 1;

  private final SignalProtocolStore store;
  private final ProtocolAddress localAddress;
  private final ProtocolAddress remoteAddress;

  /**
   * A cipher for messages with {@code remoteAddress}.
   *
   * @param localAddress our own address, used for the {@code addresses} field; may be null to
   *     neither send nor check that field
   */
  public SessionCipher(
      SignalProtocolStore store, ProtocolAddress localAddress, ProtocolAddress remoteAddress) {
    this.store = Objects.requireNonNull(store, "store");
    this.localAddress = localAddress;
    this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
  }

  /** A cipher that neither sends nor checks the {@code addresses} field. */
  public SessionCipher(SignalProtocolStore store, ProtocolAddress remoteAddress) {
    this(store, null, remoteAddress);
  }

  /**
   * Encrypts {@code plaintext}: a {@link PreKeySignalMessage} until the peer has answered, a {@link
   * SignalMessage} afterwards.
   *
   * @throws NoSessionException there is no usable session (none, or an unanswered one older than
   *     {@link #MAX_UNACKNOWLEDGED_SESSION_AGE})
   * @throws UntrustedIdentityException the session's identity is no longer trusted
   */
  public CiphertextMessage encrypt(byte[] plaintext, Instant now, SecureRandom rng)
      throws NoSessionException, UntrustedIdentityException {
    Objects.requireNonNull(plaintext, "plaintext");
    SessionRecord record = store.loadSession(remoteAddress);
    if (record == null || !record.hasCurrentState()) {
      throw new NoSessionException("no session with " + remoteAddress);
    }
    SessionState state = record.currentState();
    if (!state.hasSenderChain()) {
      throw new NoSessionException("session with " + remoteAddress + " cannot send");
    }
    Optional<PendingPreKey> pending = state.unacknowledgedPreKeyMessage();
    if (pending.isPresent()
        && pending.get().created().plus(MAX_UNACKNOWLEDGED_SESSION_AGE).isBefore(now)) {
      throw new NoSessionException("unanswered session with " + remoteAddress + " is stale");
    }
    IdentityKey remoteIdentity = state.remoteIdentityKey();
    if (!store.isTrustedIdentity(remoteAddress, remoteIdentity, Direction.SENDING)) {
      throw new UntrustedIdentityException("untrusted identity for " + remoteAddress);
    }

    ChainKey chainKey = state.senderChainKey();
    if (chainKey.index() > MAX_CHAIN_INDEX) {
      throw new NoSessionException("sending chain with " + remoteAddress + " is exhausted");
    }
    byte[] pqField = null;
    byte[] pqKey = null;
    if (state.hasPqRatchet()) {
      try {
        PqRatchet.Sent sent = PqRatchet.send(state.pqRatchet(), rng);
        pqField = sent.field();
        pqKey = sent.key();
      } catch (InvalidMessageException e) {
        throw new NoSessionException(
            "session with " + remoteAddress + " has an unusable SPQR state", e);
      }
    }
    MessageKeys keys = MessageKeys.derive(chainKey.messageKeySeed(), pqKey, chainKey.index());
    byte[] ciphertext = Crypto.aesCbcEncrypt(keys.cipherKey(), keys.iv(), plaintext);
    byte[] addresses =
        pending.isPresent() && localAddress != null
            ? Addresses.encode(localAddress, remoteAddress)
            : null;
    SignalMessage message =
        SignalMessage.create(
            state.sessionVersion(),
            keys.macKey(),
            state.senderRatchetKey(),
            chainKey.index(),
            state.previousCounter(),
            ciphertext,
            state.localIdentityKey(),
            remoteIdentity,
            addresses,
            pqField);
    CiphertextMessage out = message;
    if (pending.isPresent()) {
      PendingPreKey p = pending.get();
      out =
          PreKeySignalMessage.create(
              state.localRegistrationId(),
              p.preKeyId(),
              p.signedPreKeyId(),
              p.kyberPreKeyId(),
              p.kyberCiphertext(),
              p.baseKey(),
              state.localIdentityKey(),
              message);
    }
    state.setSenderChainKey(chainKey.next());
    record.setState(state);
    store.saveIdentity(remoteAddress, remoteIdentity);
    store.storeSession(remoteAddress, record);
    return out;
  }

  /**
   * Decrypts a first message of a session, setting the session up (PQXDH responder) if it is new.
   * The one-time prekey is deleted and a one-time Kyber prekey marked used only once decryption has
   * succeeded.
   *
   * @throws InvalidMessageException the message is malformed or does not decrypt
   * @throws DuplicateMessageException the message was already received
   * @throws InvalidKeyException a prekey it names is unknown (e.g. already used)
   * @throws UntrustedIdentityException the sender's identity differs from the trusted one
   */
  public byte[] decrypt(PreKeySignalMessage message, Instant now, SecureRandom rng)
      throws InvalidMessageException,
          DuplicateMessageException,
          InvalidKeyException,
          UntrustedIdentityException {
    IdentityKey theirIdentity = message.identityKey();
    if (!store.isTrustedIdentity(remoteAddress, theirIdentity, Direction.RECEIVING)) {
      throw new UntrustedIdentityException("untrusted identity for " + remoteAddress);
    }
    SessionRecord record = store.loadSession(remoteAddress);
    record = record == null ? new SessionRecord() : record.copy();
    UsedPreKeys used = processPreKey(record, message);
    byte[] plaintext = decryptWithRecord(record, message.message(), rng);

    store.saveIdentity(remoteAddress, theirIdentity);
    store.storeSession(remoteAddress, record);
    if (used != null) {
      if (used.preKeyId().isPresent()) {
        store.removePreKey(used.preKeyId().getAsInt());
      }
      store.markKyberPreKeyUsed(used.kyberPreKeyId());
    }
    return plaintext;
  }

  /**
   * Decrypts a Double Ratchet message with the current or an archived session state.
   *
   * @throws InvalidMessageException the message is malformed or does not decrypt with any state
   * @throws DuplicateMessageException the message was already received
   * @throws NoSessionException there is no session with the sender
   * @throws UntrustedIdentityException the sender's identity is no longer trusted
   */
  public byte[] decrypt(SignalMessage message, Instant now, SecureRandom rng)
      throws InvalidMessageException,
          DuplicateMessageException,
          NoSessionException,
          UntrustedIdentityException {
    SessionRecord record = store.loadSession(remoteAddress);
    if (record == null || (!record.hasCurrentState() && record.previousStateCount() == 0)) {
      throw new NoSessionException("no session with " + remoteAddress);
    }
    record = record.copy();
    byte[] plaintext = decryptWithRecord(record, message, rng);
    IdentityKey remoteIdentity = record.currentState().remoteIdentityKey();
    if (!store.isTrustedIdentity(remoteAddress, remoteIdentity, Direction.RECEIVING)) {
      throw new UntrustedIdentityException("untrusted identity for " + remoteAddress);
    }
    store.saveIdentity(remoteAddress, remoteIdentity);
    store.storeSession(remoteAddress, record);
    return plaintext;
  }

  private record UsedPreKeys(OptionalInt preKeyId, int kyberPreKeyId) {}

  /**
   * Sets up the responder state for a new base key; returns the prekeys used, or null for a known
   * session.
   */
  private UsedPreKeys processPreKey(SessionRecord record, PreKeySignalMessage message)
      throws InvalidKeyException, InvalidMessageException {
    if (record.hasSessionState(message.messageVersion(), message.baseKey().serialize())) {
      return null;
    }
    SignedPreKeyRecord signedPreKey = store.loadSignedPreKey(message.signedPreKeyId());
    KyberPreKeyRecord kyberPreKey = store.loadKyberPreKey(message.kyberPreKeyId());
    ECKeyPair oneTimePreKey = null;
    if (message.preKeyId().isPresent()) {
      PreKeyRecord preKey = store.loadPreKey(message.preKeyId().getAsInt());
      oneTimePreKey = preKey.keyPair();
    }
    if (!message.baseKey().isCanonical()) {
      throw new InvalidMessageException("non-canonical base key");
    }
    byte[] kyberSecret = kyberPreKey.keyPair().secretKey().decapsulate(message.kyberCiphertext());
    // SPQR if the initiator runs it (its first message says so), the Double Ratchet alone if not:
    // the one moment a session may do without SPQR.
    SessionState state =
        Pqxdh.initializeBob(
            new Pqxdh.BobParameters(
                store.getIdentityKeyPair(),
                signedPreKey.keyPair(),
                oneTimePreKey,
                message.identityKey(),
                message.baseKey(),
                kyberSecret),
            message.message().pqRatchet() != null);
    state.setLocalRegistrationId(store.getLocalRegistrationId());
    state.setRemoteRegistrationId(message.registrationId());
    record.promoteState(state);
    return new UsedPreKeys(message.preKeyId(), message.kyberPreKeyId());
  }

  /** Tries the current state, then each archived one; the record is updated only on success. */
  private byte[] decryptWithRecord(SessionRecord record, SignalMessage message, SecureRandom rng)
      throws InvalidMessageException, DuplicateMessageException {
    List<String> failures = new ArrayList<>();
    SessionState current = record.currentState();
    if (current != null) {
      try {
        byte[] plaintext = decryptWithState(current, message, rng);
        record.setState(current);
        return plaintext;
      } catch (InvalidMessageException e) {
        failures.add("current state: " + e.getMessage());
      }
    }
    List<SessionState> previous = record.previousStates();
    for (int i = 0; i < previous.size(); i++) {
      SessionState state = previous.get(i);
      try {
        byte[] plaintext = decryptWithState(state, message, rng);
        record.promoteArchivedState(i, state);
        return plaintext;
      } catch (InvalidMessageException e) {
        failures.add("archived state " + i + ": " + e.getMessage());
      }
    }
    throw new InvalidMessageException(
        "message from "
            + remoteAddress
            + " does not decrypt ("
            + String.join("; ", failures)
            + ")");
  }

  private byte[] decryptWithState(SessionState state, SignalMessage message, SecureRandom rng)
      throws InvalidMessageException, DuplicateMessageException {
    if (!state.hasSenderChain()) {
      throw new InvalidMessageException("uninitialized session");
    }
    if (message.messageVersion() != state.sessionVersion()) {
      throw new InvalidMessageException(
          "message version " + message.messageVersion() + " does not match the session");
    }
    ECPublicKey theirRatchetKey = message.senderRatchetKey();
    ChainKey chainKey = receiverChainKey(state, theirRatchetKey, rng);
    byte[] seed = messageKeySeed(state, theirRatchetKey, chainKey, message.counter());
    PqRatchetMessage pq = null;
    byte[] pqKey = null;
    boolean downgrade = false;
    if (state.hasPqRatchet()) {
      byte[] field = message.pqRatchet();
      if (field != null) {
        pq = PqRatchetMessage.parse(field);
        try {
          pqKey = PqRatchet.receiveKey(state.pqRatchet(), pq);
        } catch (DuplicateMessageException e) {
          // The Double Ratchet did not know the message (it would have said duplicate first): its
          // chain is gone, or this is not the state the message belongs to.
          throw new InvalidMessageException("SPQR key already used: " + e.getMessage());
        }
      } else if (state.pqRatchet().getInitiator() && !state.pqRatchet().getEstablished()) {
        downgrade = true; // the responder's first answer, from a peer without SPQR
      } else {
        throw new InvalidMessageException("message without SPQR in an SPQR session");
      }
    }
    MessageKeys keys = MessageKeys.derive(seed, pqKey, message.counter());
    if (!message.verifyMac(state.remoteIdentityKey(), state.localIdentityKey(), keys.macKey())) {
      throw new InvalidMessageException("bad MAC");
    }
    if (pq != null) {
      PqRatchet.advance(state.pqRatchet(), pq);
    } else if (downgrade) {
      state.downgradePqRatchet();
    }
    byte[] addresses = message.addresses();
    if (addresses != null && localAddress != null) {
      byte[] expected = Addresses.encode(remoteAddress, localAddress);
      if (expected != null && !Crypto.constantTimeEquals(expected, addresses)) {
        throw new InvalidMessageException("message addressed to someone else");
      }
    }
    byte[] plaintext = Crypto.aesCbcDecrypt(keys.cipherKey(), keys.iv(), message.ciphertext());
    state.clearUnacknowledgedPreKeyMessage();
    return plaintext;
  }

  /** The receiving chain for {@code theirRatchetKey}, doing a DH ratchet step if it is new. */
  private static ChainKey receiverChainKey(
      SessionState state, ECPublicKey theirRatchetKey, SecureRandom rng)
      throws InvalidMessageException {
    ChainKey existing = state.receiverChainKey(theirRatchetKey);
    if (existing != null) {
      return existing;
    }
    try {
      RootKey.Step receiving =
          state.rootKey().createChain(theirRatchetKey, state.senderRatchetKeyPair());
      ECKeyPair ourNewRatchetKey = ECKeyPair.generate(rng);
      RootKey.Step sending = receiving.rootKey().createChain(theirRatchetKey, ourNewRatchetKey);
      state.setRootKey(sending.rootKey());
      state.addReceiverChain(theirRatchetKey, receiving.chainKey());
      state.setPreviousCounter(Math.max(state.senderChainKey().index() - 1, 0));
      state.setSenderChain(ourNewRatchetKey, sending.chainKey());
      return receiving.chainKey();
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("unusable ratchet key", e);
    }
  }

  /**
   * The message-key seed for {@code counter}, from the skipped-key store or by advancing the chain.
   */
  private static byte[] messageKeySeed(
      SessionState state, ECPublicKey theirRatchetKey, ChainKey chainKey, int counter)
      throws InvalidMessageException, DuplicateMessageException {
    if (chainKey.index() > counter) {
      byte[] seed = state.removeMessageKeySeed(theirRatchetKey, counter);
      if (seed == null) {
        throw new DuplicateMessageException(
            "message with old counter " + chainKey.index() + " / " + counter);
      }
      return seed;
    }
    if (counter > MAX_CHAIN_INDEX || counter - chainKey.index() > MAX_FORWARD_JUMPS) {
      throw new InvalidMessageException("message is too far into the future");
    }
    int firstStored = counter - SessionState.MAX_MESSAGE_KEYS;
    while (chainKey.index() < counter) {
      if (chainKey.index() >= firstStored) {
        state.addMessageKeySeed(theirRatchetKey, chainKey.index(), chainKey.messageKeySeed());
      }
      chainKey = chainKey.next();
    }
    state.setReceiverChainKey(theirRatchetKey, chainKey.next());
    return chainKey.messageKeySeed();
  }
}
