package org.sotto.protocol.state;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.StorageProtos.ChainKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.MessageKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PendingPreKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PqRatchetStructure;
import org.sotto.protocol.internal.proto.StorageProtos.ReceiverChainStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SenderChainStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SessionStructure;
import org.sotto.protocol.ratchet.ChainKey;
import org.sotto.protocol.ratchet.RootKey;

/**
 * One Double Ratchet session state, mutable while a message is encrypted or decrypted and then
 * written back into a {@link SessionRecord}. Not thread-safe: callers work on their own copy (see
 * {@link SessionRecord#currentState()}). Fields were validated when the record was parsed ({@link
 * SessionRecord#fromBytes}), so getters do not fail.
 */
public final class SessionState {
  /**
   * Receiver chains kept per state. Older chains are dropped: a message on a chain this old is
   * treated as lost. libsignal keeps the same number, so both sides agree on what can still be
   * decrypted.
   */
  public static final int MAX_RECEIVER_CHAINS = 5;

  /**
   * Skipped message keys stored per receiver chain. Bounds the memory and record size an attacker
   * (or a lossy network) can force on us; the oldest key is dropped first.
   */
  public static final int MAX_MESSAGE_KEYS = 2_000;

  private final SessionStructure.Builder s;

  SessionState(SessionStructure structure) {
    this.s = structure.toBuilder();
  }

  /** A new, empty state for the given session version. */
  public static SessionState create(
      int sessionVersion, IdentityKey localIdentity, IdentityKey remoteIdentity, RootKey rootKey) {
    SessionState state = new SessionState(SessionStructure.getDefaultInstance());
    state
        .s
        .setSessionVersion(sessionVersion)
        .setLocalIdentity(bytes(localIdentity.serialize()))
        .setRemoteIdentity(bytes(remoteIdentity.serialize()))
        .setRootKey(bytes(rootKey.key()));
    return state;
  }

  /** An independent copy of this state. */
  public SessionState copy() {
    return new SessionState(s.build());
  }

  SessionStructure structure() {
    return s.build();
  }

  /** The session version (4 for PQXDH). */
  public int sessionVersion() {
    return s.getSessionVersion();
  }

  /** Our identity key as recorded when the session was set up. */
  public IdentityKey localIdentityKey() {
    return identity(s.getLocalIdentity());
  }

  /** The remote party's identity key. */
  public IdentityKey remoteIdentityKey() {
    return identity(s.getRemoteIdentity());
  }

  /** The current root key. */
  public RootKey rootKey() {
    return new RootKey(s.getRootKey().toByteArray());
  }

  /** Replaces the root key. */
  public void setRootKey(RootKey rootKey) {
    s.setRootKey(bytes(rootKey.key()));
  }

  /** The previous-chain counter we send. */
  public int previousCounter() {
    return s.getPreviousCounter();
  }

  /** Sets the previous-chain counter we send. */
  public void setPreviousCounter(int previousCounter) {
    s.setPreviousCounter(previousCounter);
  }

  /** The remote registration id. */
  public int remoteRegistrationId() {
    return s.getRemoteRegistrationId();
  }

  /** Sets the remote registration id. */
  public void setRemoteRegistrationId(int id) {
    s.setRemoteRegistrationId(id);
  }

  /** Our registration id. */
  public int localRegistrationId() {
    return s.getLocalRegistrationId();
  }

  /** Sets our registration id. */
  public void setLocalRegistrationId(int id) {
    s.setLocalRegistrationId(id);
  }

  /** The initiator's base key that identifies this session (33 bytes), or an empty array. */
  public byte[] aliceBaseKey() {
    return s.getAliceBaseKey().toByteArray();
  }

  /** Records the initiator's base key. */
  public void setAliceBaseKey(ECPublicKey baseKey) {
    s.setAliceBaseKey(bytes(baseKey.serialize()));
  }

  /** Whether this state can send (it has a sender chain). */
  public boolean hasSenderChain() {
    return s.hasSenderChain();
  }

  /** Our current ratchet key pair. */
  public ECKeyPair senderRatchetKeyPair() {
    SenderChainStructure chain = s.getSenderChain();
    try {
      return new ECKeyPair(
          ECPublicKey.fromBytes(chain.getRatchetPublic().toByteArray()),
          ECPrivateKey.fromBytes(chain.getRatchetPrivate().toByteArray()));
    } catch (InvalidKeyException e) {
      throw new AssertionError("validated when parsed", e);
    }
  }

  /** Our current ratchet public key. */
  public ECPublicKey senderRatchetKey() {
    return publicKey(s.getSenderChain().getRatchetPublic());
  }

  /** Our sending chain key. */
  public ChainKey senderChainKey() {
    return chainKey(s.getSenderChain().getChainKey());
  }

  /** Replaces the sender chain (ratchet key pair and chain key). */
  public void setSenderChain(ECKeyPair ratchetKeyPair, ChainKey chainKey) {
    s.setSenderChain(
        SenderChainStructure.newBuilder()
            .setRatchetPublic(bytes(ratchetKeyPair.publicKey().serialize()))
            .setRatchetPrivate(bytes(ratchetKeyPair.privateKey().serialize()))
            .setChainKey(chainKeyStructure(chainKey)));
  }

  /** Advances the sending chain key. */
  public void setSenderChainKey(ChainKey chainKey) {
    s.getSenderChainBuilder().setChainKey(chainKeyStructure(chainKey));
  }

  /** The receiving chain key for {@code senderRatchetKey}, or null if we have no such chain. */
  public ChainKey receiverChainKey(ECPublicKey senderRatchetKey) {
    int i = receiverChainIndex(senderRatchetKey);
    return i < 0 ? null : chainKey(s.getReceiverChains(i).getChainKey());
  }

  /**
   * Adds a receiving chain, newest first, dropping the oldest beyond {@link #MAX_RECEIVER_CHAINS}.
   */
  public void addReceiverChain(ECPublicKey senderRatchetKey, ChainKey chainKey) {
    s.addReceiverChains(
        0,
        ReceiverChainStructure.newBuilder()
            .setRatchetPublic(bytes(senderRatchetKey.serialize()))
            .setChainKey(chainKeyStructure(chainKey)));
    while (s.getReceiverChainsCount() > MAX_RECEIVER_CHAINS) {
      s.removeReceiverChains(s.getReceiverChainsCount() - 1);
    }
  }

  /** Advances the receiving chain key for {@code senderRatchetKey}; the chain must exist. */
  public void setReceiverChainKey(ECPublicKey senderRatchetKey, ChainKey chainKey) {
    int i = receiverChainIndex(senderRatchetKey);
    if (i < 0) {
      throw new IllegalStateException("no receiver chain for that key");
    }
    s.getReceiverChainsBuilder(i).setChainKey(chainKeyStructure(chainKey));
  }

  /** Whether a skipped message key for ({@code senderRatchetKey}, {@code counter}) is stored. */
  public boolean hasMessageKeySeed(ECPublicKey senderRatchetKey, int counter) {
    int i = receiverChainIndex(senderRatchetKey);
    if (i < 0) {
      return false;
    }
    for (MessageKeyStructure key : s.getReceiverChains(i).getSkippedList()) {
      if (key.getIndex() == counter) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes and returns the skipped message-key seed for ({@code senderRatchetKey}, {@code
   * counter}), or null.
   */
  public byte[] removeMessageKeySeed(ECPublicKey senderRatchetKey, int counter) {
    int i = receiverChainIndex(senderRatchetKey);
    if (i < 0) {
      return null;
    }
    ReceiverChainStructure.Builder chain = s.getReceiverChainsBuilder(i);
    for (int k = 0; k < chain.getSkippedCount(); k++) {
      if (chain.getSkipped(k).getIndex() == counter) {
        byte[] seed = chain.getSkipped(k).getSeed().toByteArray();
        chain.removeSkipped(k);
        return seed;
      }
    }
    return null;
  }

  /** Stores a skipped message-key seed, dropping the oldest beyond {@link #MAX_MESSAGE_KEYS}. */
  public void addMessageKeySeed(ECPublicKey senderRatchetKey, int counter, byte[] seed) {
    int i = receiverChainIndex(senderRatchetKey);
    if (i < 0) {
      throw new IllegalStateException("no receiver chain for that key");
    }
    ReceiverChainStructure.Builder chain = s.getReceiverChainsBuilder(i);
    chain.addSkipped(MessageKeyStructure.newBuilder().setIndex(counter).setSeed(bytes(seed)));
    while (chain.getSkippedCount() > MAX_MESSAGE_KEYS) {
      chain.removeSkipped(0);
    }
  }

  /** Remembers the prekey data to send with every message until the peer answers. */
  public void setUnacknowledgedPreKeyMessage(
      OptionalInt preKeyId,
      int signedPreKeyId,
      ECPublicKey baseKey,
      int kyberPreKeyId,
      byte[] kyberCiphertext,
      Instant created) {
    PendingPreKeyStructure.Builder p =
        PendingPreKeyStructure.newBuilder()
            .setSignedPreKeyId(signedPreKeyId)
            .setBaseKey(bytes(baseKey.serialize()))
            .setKyberPreKeyId(kyberPreKeyId)
            .setKyberCiphertext(bytes(kyberCiphertext))
            .setCreatedEpochMs(created.toEpochMilli());
    if (preKeyId.isPresent()) {
      p.setHasPreKeyId(true).setPreKeyId(preKeyId.getAsInt());
    }
    s.setPendingPreKey(p);
  }

  /** The prekey data still to be sent, if the peer has not answered yet. */
  public Optional<PendingPreKey> unacknowledgedPreKeyMessage() {
    if (!s.hasPendingPreKey()) {
      return Optional.empty();
    }
    PendingPreKeyStructure p = s.getPendingPreKey();
    return Optional.of(
        new PendingPreKey(
            p.getHasPreKeyId() ? OptionalInt.of(p.getPreKeyId()) : OptionalInt.empty(),
            p.getSignedPreKeyId(),
            publicKey(p.getBaseKey()),
            p.getKyberPreKeyId(),
            p.getKyberCiphertext().toByteArray(),
            Instant.ofEpochMilli(p.getCreatedEpochMs())));
  }

  /** Forgets the prekey data: the peer has answered. */
  public void clearUnacknowledgedPreKeyMessage() {
    s.clearPendingPreKey();
  }

  /** Whether the session runs SPQR (the post-quantum ratchet). */
  public boolean hasPqRatchet() {
    return s.hasPqRatchet();
  }

  /** Starts SPQR on this state (session setup). */
  public void setPqRatchet(PqRatchetStructure pqRatchet) {
    s.setPqRatchet(pqRatchet);
  }

  /**
   * The SPQR state, to advance in place with {@link org.sotto.protocol.spqr.PqRatchet}.
   *
   * @throws IllegalStateException if the session has no SPQR
   */
  public PqRatchetStructure.Builder pqRatchet() {
    if (!s.hasPqRatchet()) {
      throw new IllegalStateException("session without SPQR");
    }
    return s.getPqRatchetBuilder();
  }

  /**
   * Drops SPQR: allowed only at session start, when the responder answered without it (a peer that
   * does not run SPQR).
   */
  public void downgradePqRatchet() {
    if (s.hasPqRatchet() && s.getPqRatchet().getEstablished()) {
      throw new IllegalStateException("SPQR cannot be dropped once the peer has used it");
    }
    s.clearPqRatchet();
  }

  private int receiverChainIndex(ECPublicKey senderRatchetKey) {
    ByteString wanted = bytes(senderRatchetKey.serialize());
    for (int i = 0; i < s.getReceiverChainsCount(); i++) {
      if (s.getReceiverChains(i).getRatchetPublic().equals(wanted)) {
        return i;
      }
    }
    return -1;
  }

  private static ChainKeyStructure chainKeyStructure(ChainKey key) {
    return ChainKeyStructure.newBuilder().setIndex(key.index()).setKey(bytes(key.key())).build();
  }

  private static ChainKey chainKey(ChainKeyStructure structure) {
    return new ChainKey(structure.getKey().toByteArray(), structure.getIndex());
  }

  private static IdentityKey identity(ByteString b) {
    return new IdentityKey(publicKey(b));
  }

  private static ECPublicKey publicKey(ByteString b) {
    try {
      return ECPublicKey.fromBytes(b.toByteArray());
    } catch (InvalidKeyException e) {
      throw new AssertionError("validated when parsed", e);
    }
  }

  private static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(b);
  }

  @Override
  public String toString() {
    return "SessionState[v" + sessionVersion() + ", keys=redacted]";
  }

  /**
   * Prekey data sent with every message of a session until the peer answers.
   *
   * @param preKeyId the one-time prekey used, if any
   * @param signedPreKeyId the signed prekey used
   * @param baseKey our base key
   * @param kyberPreKeyId the Kyber prekey used
   * @param kyberCiphertext the Kyber ciphertext (with type byte)
   * @param created when the session was set up
   */
  public record PendingPreKey(
      OptionalInt preKeyId,
      int signedPreKeyId,
      ECPublicKey baseKey,
      int kyberPreKeyId,
      byte[] kyberCiphertext,
      Instant created) {}
}
