package org.sotto.protocol.fuzz;

/** Byte edits the fuzz fixtures use to derive edge-case seeds from real messages. */
final class SeedBytes {
  private SeedBytes() {}

  /** A copy with the last byte's lowest bit flipped (breaks a MAC or signature). */
  static byte[] flipLastByte(byte[] b) {
    byte[] out = b.clone();
    out[out.length - 1] ^= 1;
    return out;
  }

  /** A copy with the first (version) byte replaced. */
  static byte[] withFirstByte(byte[] b, int first) {
    byte[] out = b.clone();
    out[0] = (byte) first;
    return out;
  }

  /** {@code versionByte ‖ body}: a versioned wire message rebuilt around an edited protobuf. */
  static byte[] versioned(byte versionByte, byte[] body) {
    byte[] out = new byte[1 + body.length];
    out[0] = versionByte;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }
}
