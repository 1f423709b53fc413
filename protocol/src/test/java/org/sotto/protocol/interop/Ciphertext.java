package org.sotto.protocol.interop;

/**
 * One encrypted 1:1 message as it travels between the peers.
 *
 * @param type 3 (PreKeySignalMessage) or 2 (SignalMessage)
 * @param bytes the serialized message
 */
record Ciphertext(int type, byte[] bytes) {
  static final int PREKEY = 3;
  static final int WHISPER = 2;

  /** A copy with {@code mask} XORed into the byte at {@code index} (negative: from the end). */
  Ciphertext withByteFlipped(int index, int mask) {
    byte[] copy = bytes.clone();
    int i = index < 0 ? copy.length + index : index;
    copy[i] ^= (byte) mask;
    return new Ciphertext(type, copy);
  }

  /** A copy with the byte at {@code index} replaced. */
  Ciphertext withByte(int index, int value) {
    byte[] copy = bytes.clone();
    copy[index] = (byte) value;
    return new Ciphertext(type, copy);
  }
}
