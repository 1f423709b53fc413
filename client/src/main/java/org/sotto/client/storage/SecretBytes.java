package org.sotto.client.storage;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret bytes (a key, an access key): {@link #toString()} prints nothing of them and {@link
 * #equals} compares in constant time. The bytes are copied in and out, and {@link #destroy()}
 * overwrites them. Immutable until destroyed; thread-safe for reads.
 */
public final class SecretBytes {
  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}; the caller may wipe its own array afterwards. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** A copy of the secret; wipe it when done. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** Overwrites the secret with zeros; later reads see zeros. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretBytes other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    // Constant: a content hash would leak bits of the secret into hash-based structures' timing.
    return 0x5EC2E7;
  }

  @Override
  public String toString() {
    return "SecretBytes[redacted]";
  }
}
