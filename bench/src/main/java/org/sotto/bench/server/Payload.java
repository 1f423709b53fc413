package org.sotto.bench.server;

import java.nio.ByteBuffer;

/**
 * The relayed message: {@link #BYTES} opaque bytes, as a 300-byte ciphertext would be, whose first
 * bytes carry what the load generator needs back at the recipient: the sender's pair index, a
 * sequence number and the send time. The rest is the same random filler for every message (neither
 * side compresses). Stateless.
 */
final class Payload {
  /**
   * Size of every relayed payload: the 300-byte envelope, about the size of a short text
   * message once padded and encrypted by the protocol.
   */
  static final int BYTES = 300;

  private static final int PAIR_OFFSET = 0;
  private static final int SEQ_OFFSET = 4;
  private static final int STAMP_OFFSET = 12;
  private static final int HEADER_BYTES = 20;

  private Payload() {}

  /**
   * A payload from {@code pair} with sequence number {@code seq}, stamped with {@code stampNanos}
   * (a {@link System#nanoTime()} reading of this process), filled up from {@code filler}.
   */
  static byte[] create(int pair, long seq, long stampNanos, byte[] filler) {
    byte[] p = new byte[BYTES];
    System.arraycopy(filler, 0, p, HEADER_BYTES, BYTES - HEADER_BYTES);
    ByteBuffer.wrap(p)
        .putInt(PAIR_OFFSET, pair)
        .putLong(SEQ_OFFSET, seq)
        .putLong(STAMP_OFFSET, stampNanos);
    return p;
  }

  /** The sending pair's index. */
  static int pair(byte[] payload) {
    return ByteBuffer.wrap(payload).getInt(PAIR_OFFSET);
  }

  /** The send time stamp. */
  static long stamp(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(STAMP_OFFSET);
  }
}
