package org.sotto.protocol.groups;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.message.SenderKeyDistributionMessage;
import org.sotto.protocol.ratchet.ChainKey;

/**
 * Sets up sender keys: {@link #create} makes (or reuses) our own sending key for a distribution id
 * and returns the distribution message to send to every member over 1:1 sessions; {@link #process}
 * stores a key another member distributed. {@link #rotate} starts a fresh chain, which is how a
 * removed member is shut out. Holds no state of its own; not thread-safe with respect to other
 * operations on the same (sender, distribution id).
 */
public final class GroupSessionBuilder {
  /**
   * Chain ids are drawn from 31 bits, as libsignal draws them (a u32 shifted right by one), so they
   * are non-negative in every language that reads them as a signed 32-bit integer.
   */
  private static final int CHAIN_ID_SHIFT = 1;

  private final SenderKeyStore store;

  /** A builder keeping its state in {@code store}. */
  public GroupSessionBuilder(SenderKeyStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The distribution message for our sending key under {@code distributionId}, creating that key
   * (random chain id and chain key, fresh signing key pair) if we have none. An existing key is
   * distributed at its current iteration, so a member added later cannot read earlier messages.
   *
   * @param self our own address, under which the sending key is stored
   * @param rng supplies the new chain id, chain key and signing key
   */
  public SenderKeyDistributionMessage create(
      ProtocolAddress self, UUID distributionId, SecureRandom rng) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(distributionId, "distributionId");
    Objects.requireNonNull(rng, "rng");
    SenderKeyRecord record = store.loadSenderKey(self, distributionId);
    SenderKeyState state = record == null ? null : record.newestState();
    if (state == null || !state.hasSigningPrivateKey()) {
      record = record == null ? new SenderKeyRecord() : record.copy();
      state = newSendingState(rng, null);
      record.pushFront(state);
      store.storeSenderKey(self, distributionId, record);
    }
    return distributionMessage(distributionId, state);
  }

  /**
   * Replaces our sending key under {@code distributionId} with a new chain (new chain id, chain key
   * and signing key) and returns its distribution message. Send it to the remaining members only: a
   * member who does not get it cannot decrypt anything we send from now on.
   */
  public SenderKeyDistributionMessage rotate(
      ProtocolAddress self, UUID distributionId, SecureRandom rng) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(distributionId, "distributionId");
    Objects.requireNonNull(rng, "rng");
    SenderKeyRecord old = store.loadSenderKey(self, distributionId);
    SenderKeyState previous = old == null ? null : old.newestState();
    SenderKeyState state = newSendingState(rng, previous);
    SenderKeyRecord record = new SenderKeyRecord();
    record.pushFront(state);
    store.storeSenderKey(self, distributionId, record);
    return distributionMessage(distributionId, state);
  }

  /**
   * Stores the sender key {@code sender} distributed. The same chain again (same chain id and
   * signing key) keeps the progress we have made on it; a new chain goes in front of the sender's
   * older ones, of which at most {@link SenderKeyRecord#MAX_STATES} are kept in all.
   */
  public void process(ProtocolAddress sender, SenderKeyDistributionMessage message) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(message, "message");
    SenderKeyRecord record = store.loadSenderKey(sender, message.distributionId());
    record = record == null ? new SenderKeyRecord() : record.copy();
    record.addState(message.chainId(), message.chainKey(), message.signingKey());
    store.storeSenderKey(sender, message.distributionId(), record);
  }

  /** A fresh sending state whose chain id differs from {@code previous}'s, if given. */
  private static SenderKeyState newSendingState(SecureRandom rng, SenderKeyState previous) {
    int chainId;
    do {
      chainId = rng.nextInt() >>> CHAIN_ID_SHIFT;
    } while (previous != null && chainId == previous.chainId());
    byte[] key = new byte[ChainKey.LENGTH];
    rng.nextBytes(key);
    ChainKey chainKey = new ChainKey(key, 0);
    Arrays.fill(key, (byte) 0);
    ECKeyPair signing = ECKeyPair.generate(rng);
    return SenderKeyState.create(chainId, chainKey, signing.publicKey(), signing.privateKey());
  }

  private static SenderKeyDistributionMessage distributionMessage(
      UUID distributionId, SenderKeyState state) {
    return SenderKeyDistributionMessage.create(
        distributionId, state.chainId(), state.chainKey(), state.signingKey());
  }
}
