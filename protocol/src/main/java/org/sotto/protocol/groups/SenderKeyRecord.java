package org.sotto.protocol.groups;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.GroupProtos.SenderKeyRecordStructure;
import org.sotto.protocol.internal.proto.GroupProtos.SenderKeyStateStructure;
import org.sotto.protocol.internal.proto.GroupProtos.SenderMessageKeyStructure;
import org.sotto.protocol.ratchet.ChainKey;

/**
 * The sender-key states of one sender for one distribution id, newest first, at most {@link
 * #MAX_STATES}. Serialised to Sotto's own versioned protobuf; the record of our own sending key
 * holds our private signing key. Not thread-safe; the states it holds are immutable snapshots, so
 * copying a record is cheap.
 */
public final class SenderKeyRecord {
  /** The storage format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /**
   * States kept per (sender, distribution id). A sender starts a new chain when it rotates its key
   * (a member left); messages still in flight on the few chains before it keep decrypting, older
   * ones are treated as lost. libsignal keeps the same number.
   */
  public static final int MAX_STATES = 5;

  /**
   * Skipped message keys stored per state. Bounds the memory and record size an attacker (or a
   * lossy network) can force on us; the oldest key is dropped first. libsignal's number, so both
   * implementations agree on which late messages still decrypt.
   */
  public static final int MAX_MESSAGE_KEYS = 2_000;

  private static final int SIGNING_KEY_LENGTH = ECPublicKey.SERIALIZED_LENGTH;
  private static final int PRIVATE_KEY_LENGTH = ECPrivateKey.KEY_LENGTH;
  private static final int SEED_LENGTH = 32;

  private final List<SenderKeyStateStructure> states;

  /** An empty record (no states). */
  public SenderKeyRecord() {
    this(new ArrayList<>());
  }

  private SenderKeyRecord(List<SenderKeyStateStructure> states) {
    this.states = states;
  }

  /**
   * Parses and validates a serialized record; anything malformed gives {@link
   * InvalidRecordException}.
   */
  public static SenderKeyRecord fromBytes(byte[] serialized) throws InvalidRecordException {
    if (serialized == null) {
      throw new InvalidRecordException("no record");
    }
    SenderKeyRecordStructure proto;
    try {
      proto = SenderKeyRecordStructure.parseFrom(serialized);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidRecordException("malformed sender key record", e);
    }
    if (proto.getFormatVersion() != FORMAT_VERSION) {
      throw new InvalidRecordException(
          "unknown sender key record version " + proto.getFormatVersion());
    }
    if (proto.getStatesCount() > MAX_STATES) {
      throw new InvalidRecordException("too many sender key states");
    }
    List<SenderKeyStateStructure> states = new ArrayList<>(proto.getStatesCount());
    for (SenderKeyStateStructure state : proto.getStatesList()) {
      states.add(validate(state));
    }
    return new SenderKeyRecord(states);
  }

  private static SenderKeyStateStructure validate(SenderKeyStateStructure s)
      throws InvalidRecordException {
    checkLength(s.getChainKey(), ChainKey.LENGTH, "chain key");
    if (s.getIteration() < 0) {
      throw new InvalidRecordException("iteration out of range");
    }
    checkLength(s.getSigningPublic(), SIGNING_KEY_LENGTH, "signing key");
    try {
      ECPublicKey.fromBytes(s.getSigningPublic().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidRecordException("signing key does not parse", e);
    }
    if (!s.getSigningPrivate().isEmpty()) {
      checkLength(s.getSigningPrivate(), PRIVATE_KEY_LENGTH, "private signing key");
    }
    if (!s.getSigningXeddsaPublic().isEmpty()) {
      checkLength(s.getSigningXeddsaPublic(), PRIVATE_KEY_LENGTH, "cached signing key");
    }
    if (s.getSkippedCount() > MAX_MESSAGE_KEYS) {
      throw new InvalidRecordException("too many skipped message keys");
    }
    for (SenderMessageKeyStructure key : s.getSkippedList()) {
      checkLength(key.getSeed(), SEED_LENGTH, "message key");
      if (key.getIteration() < 0 || key.getIteration() >= s.getIteration()) {
        throw new InvalidRecordException("skipped message key is not behind the chain");
      }
    }
    return s;
  }

  private static void checkLength(ByteString b, int length, String what)
      throws InvalidRecordException {
    if (b.size() != length) {
      throw new InvalidRecordException(what + " has the wrong length");
    }
  }

  /** Serializes the record. May hold our private signing key: store it encrypted at rest. */
  public byte[] serialize() {
    return SenderKeyRecordStructure.newBuilder()
        .setFormatVersion(FORMAT_VERSION)
        .addAllStates(states)
        .build()
        .toByteArray();
  }

  /** Whether the record holds no state. */
  public boolean isEmpty() {
    return states.isEmpty();
  }

  /** An independent copy (cheap: the states are immutable snapshots). */
  SenderKeyRecord copy() {
    return new SenderKeyRecord(new ArrayList<>(states));
  }

  int stateCount() {
    return states.size();
  }

  /** A mutable copy of the newest state, or null. */
  SenderKeyState newestState() {
    return states.isEmpty() ? null : new SenderKeyState(states.get(0));
  }

  /** A mutable copy of the (first) state with {@code chainId}, or null. */
  SenderKeyState stateForChainId(int chainId) {
    int i = indexOf(chainId);
    return i < 0 ? null : new SenderKeyState(states.get(i));
  }

  /** Writes {@code state} back in place of the (first) state with its chain id. */
  void setState(SenderKeyState state) {
    int i = indexOf(state.chainId());
    if (i < 0) {
      throw new IllegalStateException("no state with that chain id");
    }
    states.set(i, state.structure());
  }

  /**
   * Adds a chain a member distributed, as libsignal does: a state with the same chain id and
   * signing key keeps its progress (and skipped keys) and moves to the front; any other state with
   * that chain id is dropped; otherwise the new state goes in front. The oldest states beyond
   * {@link #MAX_STATES} are dropped.
   */
  void addState(int chainId, ChainKey chainKey, ECPublicKey signingKey) {
    SenderKeyStateStructure existing = null;
    ByteString wantedKey = ByteString.copyFrom(signingKey.serialize());
    for (SenderKeyStateStructure s : states) {
      if (s.getChainId() == chainId && s.getSigningPublic().equals(wantedKey)) {
        existing = s;
        break;
      }
    }
    states.removeIf(s -> s.getChainId() == chainId);
    pushFront(
        existing != null
            ? new SenderKeyState(existing)
            : SenderKeyState.create(chainId, chainKey, signingKey, null));
  }

  /** Puts {@code state} in front, dropping the oldest states beyond {@link #MAX_STATES}. */
  void pushFront(SenderKeyState state) {
    states.add(0, state.structure());
    while (states.size() > MAX_STATES) {
      states.remove(states.size() - 1);
    }
  }

  private int indexOf(int chainId) {
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i).getChainId() == chainId) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SenderKeyRecord[");
    for (int i = 0; i < states.size(); i++) {
      SenderKeyStateStructure s = states.get(i);
      if (i > 0) {
        sb.append(", ");
      }
      sb.append("chain=")
          .append(Integer.toUnsignedString(s.getChainId()))
          .append('@')
          .append(s.getIteration())
          .append(s.getSigningPrivate().isEmpty() ? "" : " (sending)");
    }
    return sb.append("]").toString();
  }
}
