package org.sotto.protocol.kem;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The result of {@link Kyber1024#encapsulate}: the serialized ciphertext to send ({@code 0x08 ‖
 * 1568 bytes}) and the 32-byte round-3 shared secret to keep. Holds its own copies and hands out
 * copies; {@link #toString()} omits the secret. Immutable and thread-safe.
 *
 * @param ciphertext the serialized ciphertext, {@value Kyber1024#SERIALIZED_CIPHERTEXT_LENGTH}
 *     bytes
 * @param sharedSecret the shared secret, {@value Kyber1024#SHARED_SECRET_LENGTH} bytes
 */
public record Encapsulation(byte[] ciphertext, byte[] sharedSecret) {

  private static final int TO_STRING_PREFIX_BYTES = 4;

  /**
   * @throws IllegalArgumentException if a component has the wrong length
   */
  public Encapsulation {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(sharedSecret, "sharedSecret");
    if (ciphertext.length != Kyber1024.SERIALIZED_CIPHERTEXT_LENGTH) {
      throw new IllegalArgumentException(
          "ciphertext must be " + Kyber1024.SERIALIZED_CIPHERTEXT_LENGTH + " bytes");
    }
    if (sharedSecret.length != Kyber1024.SHARED_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "sharedSecret must be " + Kyber1024.SHARED_SECRET_LENGTH + " bytes");
    }
    ciphertext = ciphertext.clone();
    sharedSecret = sharedSecret.clone();
  }

  /** Returns a fresh copy of the serialized ciphertext. */
  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** Returns a fresh copy of the shared secret. */
  @Override
  public byte[] sharedSecret() {
    return sharedSecret.clone();
  }

  /** Content equality, constant-time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Encapsulation other
        && MessageDigest.isEqual(ciphertext, other.ciphertext)
            & MessageDigest.isEqual(sharedSecret, other.sharedSecret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "Encapsulation[ciphertext="
        + HexFormat.of().formatHex(ciphertext, 0, TO_STRING_PREFIX_BYTES)
        + "\u2026, sharedSecret=redacted]";
  }
}
