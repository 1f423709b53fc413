package org.sotto.protocol.ratchet;

import java.util.Arrays;
import java.util.Objects;
import org.sotto.protocol.internal.Crypto;

/**
 * A symmetric-ratchet chain key and its index. A value: {@link #next()} returns a new key and
 * leaves this one unchanged. Immutable and thread-safe; {@link #toString()} never prints the key.
 */
public final class ChainKey {
  /** Chain key length in bytes. */
  public static final int LENGTH = 32;

  private static final byte[] MESSAGE_KEY_SEED = {0x01};
  private static final byte[] CHAIN_KEY_SEED = {0x02};

  private final byte[] key;
  private final int index;

  /** Creates a chain key; {@code key} must be 32 bytes and {@code index} non-negative. */
  public ChainKey(byte[] key, int index) {
    Objects.requireNonNull(key, "key");
    if (key.length != LENGTH) {
      throw new IllegalArgumentException("chain key must be " + LENGTH + " bytes");
    }
    if (index < 0) {
      throw new IllegalArgumentException("negative chain index");
    }
    this.key = key.clone();
    this.index = index;
  }

  /** The key bytes (a copy). */
  public byte[] key() {
    return key.clone();
  }

  /** The index of the message this key would encrypt next. */
  public int index() {
    return index;
  }

  /** The next chain key: {@code HMAC-SHA256(CK, 0x02)}, index + 1. */
  public ChainKey next() {
    return new ChainKey(Crypto.hmacSha256(key, CHAIN_KEY_SEED), index + 1);
  }

  /** The 32-byte message-key seed for this index: {@code HMAC-SHA256(CK, 0x01)}. */
  public byte[] messageKeySeed() {
    return Crypto.hmacSha256(key, MESSAGE_KEY_SEED);
  }

  /** The message keys for this index. */
  public MessageKeys messageKeys() {
    return MessageKeys.derive(messageKeySeed(), index);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChainKey other
        && index == other.index
        && Crypto.constantTimeEquals(key, other.key);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + index;
  }

  @Override
  public String toString() {
    return "ChainKey[index=" + index + ", key=redacted]";
  }
}
