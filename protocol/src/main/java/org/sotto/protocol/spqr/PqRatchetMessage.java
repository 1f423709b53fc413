package org.sotto.protocol.spqr;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.sotto.protocol.InvalidMessageException;

/**
 * The {@code pq_ratchet} field of a SignalMessage (field 5): one message of the ML-KEM Braid, as
 * libsignal 0.92 and later send it: {@code 0x01 ‖ varint(epoch) ‖ varint(index) ‖ type [‖
 * varint(chunkIndex) ‖ 32-byte chunk]}.
 *
 * <p>Observed from libsignal 0.103.0 ({@code LibsignalSpqrInteropTest}): the initiator starts at
 * epoch 1, index 1; {@code index} counts the sender's messages within an epoch; each braid value
 * travels as numbered 32-byte chunks of a systematic erasure code ({@link ReedSolomon16}), so
 * chunks 0 to n−1 are the value's bytes in order and later chunks are redundancy. The values are
 * the header with a 32-byte authenticator (96 bytes), the encapsulation key (1,152), ct1 (960) and
 * ct2 with a 32-byte authenticator (160).
 *
 * <p>Parsing is strict: a wrong version, an unknown type, a chunk where the type has none (or none
 * where it needs one), a varint that overflows and trailing bytes are all {@link
 * InvalidMessageException}s. Immutable; {@link #chunk()} hands out copies.
 *
 * @param epoch the sending epoch
 * @param index the sender's message number in the epoch
 * @param type what the message carries
 * @param chunkIndex the chunk's number, or -1 when the type carries no chunk
 * @param chunk the {@value #CHUNK_LENGTH}-byte chunk, or null when the type carries none
 */
public record PqRatchetMessage(long epoch, long index, Type type, int chunkIndex, byte[] chunk) {

  /** The only version of the field so far. */
  public static final int VERSION = 1;

  /** Bytes of braid data in one chunk. */
  public static final int CHUNK_LENGTH = 32;

  /**
   * Chunk numbers are symbol positions of a Reed–Solomon code over GF(2^16), so at most 2^16 of
   * them exist for one value.
   */
  public static final int MAX_CHUNK_INDEX = 0xFFFF;

  /** Nine 7-bit groups: 63 bits, every non-negative {@code long}; more would overflow. */
  private static final int MAX_VARINT_BYTES = 9;

  /** The message types, by their wire number. */
  public enum Type {
    /** Nothing new for the braid. */
    NONE(0, false),
    /** A chunk of the 64-byte header of the sender's ML-KEM-768 key. */
    HEADER(1, true),
    /** A chunk of the sender's 1,152-byte encapsulation key. */
    ENCAPSULATION_KEY(2, true),
    /** A chunk of the encapsulation key, acknowledging that ct1 has arrived. */
    ENCAPSULATION_KEY_CT1_ACK(3, true),
    /** Acknowledges that ct1 has arrived; no chunk. */
    CT1_ACK(4, false),
    /** A chunk of the 960-byte first ciphertext part. */
    CT1(5, true),
    /** A chunk of the 128-byte second ciphertext part. */
    CT2(6, true);

    private final int wire;
    private final boolean hasChunk;

    Type(int wire, boolean hasChunk) {
      this.wire = wire;
      this.hasChunk = hasChunk;
    }

    /** The type's number on the wire. */
    public int wire() {
      return wire;
    }

    /** Whether messages of this type carry a chunk. */
    public boolean hasChunk() {
      return hasChunk;
    }

    static Type of(int wire) throws InvalidMessageException {
      for (Type t : values()) {
        if (t.wire == wire) {
          return t;
        }
      }
      throw new InvalidMessageException("unknown pq_ratchet message type " + wire);
    }
  }

  /**
   * @throws IllegalArgumentException if a number is negative or out of range, or the chunk does not
   *     match the type
   */
  public PqRatchetMessage {
    Objects.requireNonNull(type, "type");
    if (epoch < 0 || index < 0) {
      throw new IllegalArgumentException("epoch and index must not be negative");
    }
    if (type.hasChunk()) {
      if (chunk == null || chunk.length != CHUNK_LENGTH) {
        throw new IllegalArgumentException(type + " needs a " + CHUNK_LENGTH + "-byte chunk");
      }
      if (chunkIndex < 0 || chunkIndex > MAX_CHUNK_INDEX) {
        throw new IllegalArgumentException("chunk index out of range");
      }
      chunk = chunk.clone();
    } else if (chunk != null || chunkIndex != -1) {
      throw new IllegalArgumentException(type + " carries no chunk");
    }
  }

  /** Returns a copy of the chunk, or null. */
  @Override
  public byte[] chunk() {
    return chunk == null ? null : chunk.clone();
  }

  /**
   * Parses a {@code pq_ratchet} field; anything malformed gives {@link InvalidMessageException}.
   */
  public static PqRatchetMessage parse(byte[] field) throws InvalidMessageException {
    if (field == null || field.length == 0) {
      throw new InvalidMessageException("empty pq_ratchet field");
    }
    Reader r = new Reader(field);
    int version = r.readByte();
    if (version != VERSION) {
      throw new InvalidMessageException("unknown pq_ratchet version " + version);
    }
    long epoch = r.readVarint();
    long index = r.readVarint();
    Type type = Type.of(r.readByte());
    int chunkIndex = -1;
    byte[] chunk = null;
    if (type.hasChunk()) {
      long ci = r.readVarint();
      if (ci > MAX_CHUNK_INDEX) {
        throw new InvalidMessageException("pq_ratchet chunk index out of range");
      }
      chunkIndex = (int) ci;
      chunk = r.readBytes(CHUNK_LENGTH);
    }
    if (r.remaining() != 0) {
      throw new InvalidMessageException("trailing bytes after the pq_ratchet message");
    }
    return new PqRatchetMessage(epoch, index, type, chunkIndex, chunk);
  }

  /** The field's bytes. */
  public byte[] serialize() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 + 3 * MAX_VARINT_BYTES + CHUNK_LENGTH);
    out.write(VERSION);
    writeVarint(out, epoch);
    writeVarint(out, index);
    out.write(type.wire());
    if (type.hasChunk()) {
      writeVarint(out, chunkIndex);
      out.write(chunk, 0, CHUNK_LENGTH);
    }
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PqRatchetMessage other
        && epoch == other.epoch
        && index == other.index
        && type == other.type
        && chunkIndex == other.chunkIndex
        && Arrays.equals(chunk, other.chunk);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, index, type, chunkIndex) * 31 + Arrays.hashCode(chunk);
  }

  /** Braid data is public (keys and ciphertexts on the wire), so the chunk is shown in hex. */
  @Override
  public String toString() {
    return "PqRatchetMessage[epoch="
        + epoch
        + ", index="
        + index
        + ", type="
        + type
        + (chunk == null ? "" : ", chunk " + chunkIndex + "=" + HexFormat.of().formatHex(chunk))
        + "]";
  }

  /** Reads a field front to back. */
  private static final class Reader {
    private final byte[] bytes;
    private int pos;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int remaining() {
      return bytes.length - pos;
    }

    int readByte() throws InvalidMessageException {
      if (pos >= bytes.length) {
        throw new InvalidMessageException("truncated pq_ratchet message");
      }
      return bytes[pos++] & 0xFF;
    }

    byte[] readBytes(int n) throws InvalidMessageException {
      if (remaining() < n) {
        throw new InvalidMessageException("truncated pq_ratchet chunk");
      }
      byte[] out = Arrays.copyOfRange(bytes, pos, pos + n);
      pos += n;
      return out;
    }

    /** A minimally encoded unsigned LEB128 varint of at most 63 bits. */
    long readVarint() throws InvalidMessageException {
      long value = 0;
      for (int i = 0; i < MAX_VARINT_BYTES; i++) {
        int b = readByte();
        value |= (long) (b & 0x7F) << (7 * i);
        if ((b & 0x80) == 0) {
          if (b == 0 && i > 0) {
            throw new InvalidMessageException("pq_ratchet varint not minimally encoded");
          }
          return value;
        }
      }
      throw new InvalidMessageException("pq_ratchet varint out of range");
    }
  }
}
