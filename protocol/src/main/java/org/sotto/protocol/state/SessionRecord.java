package org.sotto.protocol.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.internal.proto.StorageProtos.ChainKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.MessageKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PendingPreKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.ReceiverChainStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SessionRecordStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SessionStructure;
import org.sotto.protocol.kem.Kyber1024;
import org.sotto.protocol.spqr.PqRatchet;

/**
 * All session states with one remote device: the current one and up to {@link #MAX_ARCHIVED_STATES}
 * archived ones (kept so that messages still in flight for an older session decrypt). Serialised to
 * Sotto's own versioned protobuf. Not thread-safe; the states it holds are immutable snapshots, so
 * copying a record is cheap.
 */
public final class SessionRecord {
  /** The storage format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /**
   * Archived states kept per remote device. Bounds record size; 40 is libsignal's number, so an
   * in-flight message that libsignal would still decrypt, we do too.
   */
  public static final int MAX_ARCHIVED_STATES = 40;

  private static final int IDENTITY_LENGTH = 33;
  private static final int KEY_LENGTH = 32;

  private SessionStructure current;
  private final List<SessionStructure> previous;

  /** An empty record (no session). */
  public SessionRecord() {
    this(null, new ArrayList<>());
  }

  private SessionRecord(SessionStructure current, List<SessionStructure> previous) {
    this.current = current;
    this.previous = previous;
  }

  /** A record whose current state is {@code state}. */
  public static SessionRecord of(SessionState state) {
    return new SessionRecord(state.structure(), new ArrayList<>());
  }

  /**
   * Parses and validates a serialized record; anything malformed gives {@link
   * InvalidRecordException}.
   */
  public static SessionRecord fromBytes(byte[] serialized) throws InvalidRecordException {
    if (serialized == null) {
      throw new InvalidRecordException("no record");
    }
    SessionRecordStructure proto;
    try {
      proto = SessionRecordStructure.parseFrom(serialized);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidRecordException("malformed session record", e);
    }
    if (proto.getFormatVersion() != FORMAT_VERSION) {
      throw new InvalidRecordException(
          "unknown session record version " + proto.getFormatVersion());
    }
    if (proto.getPreviousCount() > MAX_ARCHIVED_STATES) {
      throw new InvalidRecordException("too many archived states");
    }
    SessionStructure current = null;
    if (proto.hasCurrent()) {
      current = validate(proto.getCurrent());
    }
    List<SessionStructure> previous = new ArrayList<>(proto.getPreviousCount());
    for (SessionStructure state : proto.getPreviousList()) {
      previous.add(validate(state));
    }
    return new SessionRecord(current, previous);
  }

  private static SessionStructure validate(SessionStructure s) throws InvalidRecordException {
    checkKey(s.getLocalIdentity(), IDENTITY_LENGTH, "local identity");
    checkKey(s.getRemoteIdentity(), IDENTITY_LENGTH, "remote identity");
    checkLength(s.getRootKey(), KEY_LENGTH, "root key");
    if (!s.getAliceBaseKey().isEmpty()) {
      checkKey(s.getAliceBaseKey(), IDENTITY_LENGTH, "base key");
    }
    if (s.hasSenderChain()) {
      checkKey(s.getSenderChain().getRatchetPublic(), IDENTITY_LENGTH, "sender ratchet key");
      checkLength(s.getSenderChain().getRatchetPrivate(), KEY_LENGTH, "sender ratchet private key");
      checkChain(s.getSenderChain().getChainKey());
    }
    if (s.getReceiverChainsCount() > SessionState.MAX_RECEIVER_CHAINS) {
      throw new InvalidRecordException("too many receiver chains");
    }
    for (ReceiverChainStructure chain : s.getReceiverChainsList()) {
      checkKey(chain.getRatchetPublic(), IDENTITY_LENGTH, "receiver ratchet key");
      checkChain(chain.getChainKey());
      if (chain.getSkippedCount() > SessionState.MAX_MESSAGE_KEYS) {
        throw new InvalidRecordException("too many skipped message keys");
      }
      for (MessageKeyStructure key : chain.getSkippedList()) {
        checkLength(key.getSeed(), KEY_LENGTH, "message key");
      }
    }
    if (s.hasPendingPreKey()) {
      PendingPreKeyStructure p = s.getPendingPreKey();
      checkKey(p.getBaseKey(), IDENTITY_LENGTH, "pending base key");
      checkLength(
          p.getKyberCiphertext(), Kyber1024.SERIALIZED_CIPHERTEXT_LENGTH, "Kyber ciphertext");
    }
    if (s.hasPqRatchet()) {
      PqRatchet.check(s.getPqRatchet());
    }
    return s;
  }

  private static void checkChain(ChainKeyStructure chain) throws InvalidRecordException {
    checkLength(chain.getKey(), KEY_LENGTH, "chain key");
    if (chain.getIndex() < 0) {
      throw new InvalidRecordException("chain index out of range");
    }
  }

  private static void checkKey(ByteString b, int length, String what)
      throws InvalidRecordException {
    checkLength(b, length, what);
    if (b.byteAt(0) != 0x05) {
      throw new InvalidRecordException(what + " has an unknown key type");
    }
  }

  private static void checkLength(ByteString b, int length, String what)
      throws InvalidRecordException {
    if (b.size() != length) {
      throw new InvalidRecordException(what + " has the wrong length");
    }
  }

  /** Serializes the record. Holds secret keys: store it encrypted at rest. */
  public byte[] serialize() {
    SessionRecordStructure.Builder b =
        SessionRecordStructure.newBuilder()
            .setFormatVersion(FORMAT_VERSION)
            .addAllPrevious(previous);
    if (current != null) {
      b.setCurrent(current);
    }
    return b.build().toByteArray();
  }

  /** An independent copy (cheap: the states are immutable snapshots). */
  public SessionRecord copy() {
    return new SessionRecord(current, new ArrayList<>(previous));
  }

  /** Whether there is a current session state. */
  public boolean hasCurrentState() {
    return current != null;
  }

  /** A mutable copy of the current state, or null if there is none. */
  public SessionState currentState() {
    return current == null ? null : new SessionState(current);
  }

  /** Mutable copies of the archived states, most recent first. */
  public List<SessionState> previousStates() {
    List<SessionState> out = new ArrayList<>(previous.size());
    for (SessionStructure s : previous) {
      out.add(new SessionState(s));
    }
    return out;
  }

  /** The number of archived states. */
  public int previousStateCount() {
    return previous.size();
  }

  /**
   * Whether the current or an archived state was set up with this initiator base key and version.
   */
  public boolean hasSessionState(int version, byte[] aliceBaseKey) {
    if (current != null && matches(current, version, aliceBaseKey)) {
      return true;
    }
    for (SessionStructure s : previous) {
      if (matches(s, version, aliceBaseKey)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(SessionStructure s, int version, byte[] aliceBaseKey) {
    return s.getSessionVersion() == version
        && Arrays.equals(s.getAliceBaseKey().toByteArray(), aliceBaseKey);
  }

  /** Replaces the current state (after encrypting or decrypting with it). */
  public void setState(SessionState state) {
    current = state.structure();
  }

  /** Archives the current state (if any) and makes {@code state} current. */
  public void promoteState(SessionState state) {
    archiveCurrentState();
    current = state.structure();
  }

  /**
   * Moves archived state {@code index} (now updated to {@code state}) back to current, archiving
   * the current.
   */
  public void promoteArchivedState(int index, SessionState state) {
    previous.remove(index);
    promoteState(state);
  }

  /** Moves the current state to the front of the archive, dropping the oldest beyond the limit. */
  public void archiveCurrentState() {
    if (current != null) {
      previous.add(0, current);
      current = null;
      while (previous.size() > MAX_ARCHIVED_STATES) {
        previous.remove(previous.size() - 1);
      }
    }
  }

  @Override
  public String toString() {
    return "SessionRecord[current=" + (current != null) + ", archived=" + previous.size() + "]";
  }
}
