package org.sotto.protocol.spqr;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.internal.proto.StorageProtos.PqDirectionStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PqEpochStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PqRatchetStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PqSkippedKeyStructure;
import org.sotto.protocol.kdf.Hkdf;

/**
 * SPQR's symmetric chain: per epoch, one key chain per direction, the keys salting the Double
 * Ratchet's message keys. Facts (docs/spqr.md; epoch 0 also in the wire spec):
 *
 * <ul>
 *   <li>start: {@code HKDF(none, SPQR key, "Signal PQ Ratchet V1 Chain Start", 96)} → root ‖
 *       initiator-to-responder ‖ responder-to-initiator, for epoch 0;
 *   <li>each later epoch: {@code HKDF(salt = root, ikm = epoch secret, "Signal PQ Ratchet V1 Chain
 *       Add Epoch", 96)}, split the same way;
 *   <li>key {@code n ≥ 1} of a direction: {@code HKDF(none, next, be32(n) ‖ "Signal PQ Ratchet V1
 *       Chain Next", 64)} → next ‖ key.
 * </ul>
 *
 * <p>Works on the caller's record builder; not thread-safe.
 */
final class PqChain {
  /** Bytes of a chain value and of a key. */
  static final int LENGTH = 32;

  /**
   * How far ahead of the last received key a message may be. Each step costs an HKDF; beyond this a
   * message is rejected rather than letting a sender make us compute without bound (the Double
   * Ratchet's {@code MAX_FORWARD_JUMPS}).
   */
  static final int MAX_FORWARD_JUMP = 25_000;

  /**
   * Received-ahead keys kept per epoch, oldest dropped first: bounds the record an attacker or a
   * lossy network can make us store (the Double Ratchet keeps as many per chain).
   */
  static final int MAX_SKIPPED_KEYS = 2_000;

  /**
   * Epochs whose keys are kept. A message delayed across more epoch changes than this is lost; each
   * epoch takes dozens of messages each way, so this covers any ordinary delay, and bounds the
   * record.
   */
  static final int MAX_EPOCHS = 5;

  private static final byte[] START =
      "Signal PQ Ratchet V1 Chain  Start".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ADD_EPOCH =
      "Signal PQ Ratchet V1 Chain Add Epoch".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEXT =
      "Signal PQ Ratchet V1 Chain Next".getBytes(StandardCharsets.US_ASCII);

  private PqChain() {}

  /** Sets up epoch 0 from the PQXDH SPQR key. */
  static void start(PqRatchetStructure.Builder s, byte[] authKey) {
    s.clearChain();
    addEpoch(s, 0, Hkdf.deriveSecrets(authKey, null, START, 3 * LENGTH));
  }

  /** Adds {@code epoch} from its secret. */
  static void add(PqRatchetStructure.Builder s, long epoch, byte[] epochSecret) {
    byte[] okm =
        Hkdf.deriveSecrets(epochSecret, s.getChainRoot().toByteArray(), ADD_EPOCH, 3 * LENGTH);
    addEpoch(s, epoch, okm);
    while (s.getChainCount() > MAX_EPOCHS) {
      s.removeChain(0);
    }
  }

  private static void addEpoch(PqRatchetStructure.Builder s, long epoch, byte[] okm) {
    byte[] forward = Arrays.copyOfRange(okm, LENGTH, 2 * LENGTH);
    byte[] backward = Arrays.copyOfRange(okm, 2 * LENGTH, 3 * LENGTH);
    boolean initiator = s.getInitiator();
    s.setChainRoot(ByteString.copyFrom(okm, 0, LENGTH));
    s.addChain(
        PqEpochStructure.newBuilder()
            .setEpoch(epoch)
            .setSend(direction(initiator ? forward : backward))
            .setReceive(direction(initiator ? backward : forward)));
    Arrays.fill(okm, (byte) 0);
  }

  /** Whether the chain has {@code epoch}. */
  static boolean has(PqRatchetStructure.Builder s, long epoch) {
    return find(s, epoch) >= 0;
  }

  /** The next sending key of {@code epoch}, as {@code index} and {@code key}. */
  static Key send(PqRatchetStructure.Builder s, long epoch) {
    int i = find(s, epoch);
    if (i < 0) {
      throw new IllegalStateException("SPQR chain has no epoch " + epoch + " to send in");
    }
    PqEpochStructure.Builder e = s.getChainBuilder(i);
    PqDirectionStructure d = e.getSend();
    if (d.getIndex() == Integer.MAX_VALUE) {
      throw new IllegalStateException("SPQR sending chain exhausted");
    }
    int index = d.getIndex() + 1;
    byte[][] step = step(d.getNext().toByteArray(), index);
    e.setSend(direction(step[0]).toBuilder().setIndex(index));
    return new Key(index, step[1]);
  }

  /**
   * The receiving key {@code index} of {@code epoch}, from the stored keys or by advancing the
   * chain (storing the keys skipped).
   *
   * @throws InvalidMessageException the epoch is unknown or gone, or the index is too far ahead
   * @throws DuplicateMessageException the key was already used
   */
  static byte[] receive(PqRatchetStructure.Builder s, long epoch, long index)
      throws InvalidMessageException, DuplicateMessageException {
    int i = find(s, epoch);
    if (i < 0) {
      throw new InvalidMessageException("SPQR epoch " + epoch + " is unknown or no longer kept");
    }
    PqEpochStructure.Builder e = s.getChainBuilder(i);
    PqDirectionStructure d = e.getReceive();
    if (index <= d.getIndex()) {
      for (int k = 0; k < e.getSkippedCount(); k++) {
        if (e.getSkipped(k).getIndex() == index) {
          byte[] key = e.getSkipped(k).getKey().toByteArray();
          e.removeSkipped(k);
          return key;
        }
      }
      throw new DuplicateMessageException("SPQR key " + index + " of epoch " + epoch + " was used");
    }
    if (index - d.getIndex() > MAX_FORWARD_JUMP) {
      throw new InvalidMessageException("SPQR message index is too far ahead");
    }
    byte[] next = d.getNext().toByteArray();
    byte[] key = null;
    for (int n = d.getIndex() + 1; n <= index; n++) {
      byte[][] step = step(next, n);
      next = step[0];
      if (n == index) {
        key = step[1];
      } else if (index - n <= MAX_SKIPPED_KEYS) {
        e.addSkipped(
            PqSkippedKeyStructure.newBuilder().setIndex(n).setKey(ByteString.copyFrom(step[1])));
      }
    }
    while (e.getSkippedCount() > MAX_SKIPPED_KEYS) {
      e.removeSkipped(0);
    }
    e.setReceive(direction(next).toBuilder().setIndex((int) index));
    return key;
  }

  private static int find(PqRatchetStructure.Builder s, long epoch) {
    for (int i = 0; i < s.getChainCount(); i++) {
      if (s.getChain(i).getEpoch() == epoch) {
        return i;
      }
    }
    return -1;
  }

  private static byte[][] step(byte[] next, int index) {
    byte[] info = ByteBuffer.allocate(Integer.BYTES + NEXT.length).putInt(index).put(NEXT).array();
    byte[] okm = Hkdf.deriveSecrets(next, null, info, 2 * LENGTH);
    return new byte[][] {Arrays.copyOf(okm, LENGTH), Arrays.copyOfRange(okm, LENGTH, 2 * LENGTH)};
  }

  private static PqDirectionStructure direction(byte[] next) {
    return PqDirectionStructure.newBuilder().setNext(ByteString.copyFrom(next)).build();
  }

  /** A sending key and its index; {@link #toString()} omits the key. */
  record Key(int index, byte[] key) {
    @Override
    public String toString() {
      return "Key[index=" + index + ", key=redacted]";
    }
  }
}
