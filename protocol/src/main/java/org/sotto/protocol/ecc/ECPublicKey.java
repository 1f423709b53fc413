package org.sotto.protocol.ecc;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.sotto.protocol.InvalidKeyException;

/**
 * A Curve25519 public key: the 32-byte X25519 u-coordinate, serialized as {@code 0x05 ‖ u}.
 * Verifies XEdDSA signatures made by the matching {@link ECPrivateKey}.
 *
 * <p>Parsing accepts any 32 bytes, as libsignal does; callers that must reject non-canonical or
 * small-subgroup keys (PQXDH base keys) ask {@link #isCanonical()}. Immutable and thread-safe.
 */
public final class ECPublicKey implements Comparable<ECPublicKey> {

  /** Type byte of a Curve25519 ("DJB") key in Signal's serialization. */
  public static final int TYPE_DJB = 0x05;

  /** Length of the raw u-coordinate. */
  public static final int KEY_LENGTH = 32;

  /** Length of the serialized form: type byte and u-coordinate. */
  public static final int SERIALIZED_LENGTH = 1 + KEY_LENGTH;

  /** How many leading bytes {@link #toString()} shows: enough to tell keys apart in a log. */
  private static final int TO_STRING_PREFIX_BYTES = 4;

  private final byte[] u;

  private ECPublicKey(byte[] u) {
    this.u = u;
  }

  /** Parses a serialized key: exactly {@value #SERIALIZED_LENGTH} bytes starting with 0x05. */
  public static ECPublicKey fromBytes(byte[] serialized) throws InvalidKeyException {
    Objects.requireNonNull(serialized, "serialized");
    if (serialized.length != SERIALIZED_LENGTH) {
      throw new InvalidKeyException(
          "Curve25519 public key must be "
              + SERIALIZED_LENGTH
              + " bytes, got "
              + serialized.length);
    }
    return fromBytes(serialized, 0);
  }

  /**
   * Parses the {@value #SERIALIZED_LENGTH}-byte serialized key at {@code offset} in {@code buf}.
   */
  public static ECPublicKey fromBytes(byte[] buf, int offset) throws InvalidKeyException {
    Objects.requireNonNull(buf, "buf");
    if (offset < 0 || buf.length - offset < SERIALIZED_LENGTH) {
      throw new InvalidKeyException("Curve25519 public key needs " + SERIALIZED_LENGTH + " bytes");
    }
    int type = buf[offset] & 0xFF;
    if (type != TYPE_DJB) {
      throw new InvalidKeyException("Unknown public key type 0x" + Integer.toHexString(type));
    }
    return new ECPublicKey(Arrays.copyOfRange(buf, offset + 1, offset + SERIALIZED_LENGTH));
  }

  /** Wraps a raw {@value #KEY_LENGTH}-byte u-coordinate. */
  public static ECPublicKey fromRaw(byte[] u) throws InvalidKeyException {
    Objects.requireNonNull(u, "u");
    if (u.length != KEY_LENGTH) {
      throw new InvalidKeyException(
          "Curve25519 u-coordinate must be " + KEY_LENGTH + " bytes, got " + u.length);
    }
    return new ECPublicKey(u.clone());
  }

  /** Returns a fresh copy of {@code 0x05 ‖ u}. */
  public byte[] serialize() {
    byte[] out = new byte[SERIALIZED_LENGTH];
    out[0] = (byte) TYPE_DJB;
    System.arraycopy(u, 0, out, 1, KEY_LENGTH);
    return out;
  }

  /** Returns a fresh copy of the 32-byte u-coordinate. */
  public byte[] rawBytes() {
    return u.clone();
  }

  /**
   * Verifies an XEdDSA signature (libsignal variant) over {@code message}. Returns {@code false},
   * never throws, for a wrong signature and for any malformed input: null, a length other than 64,
   * a key with u ≥ p.
   */
  public boolean verifySignature(byte[] message, byte[] signature) {
    return XEdDsa.verify(u, message, signature);
  }

  /**
   * Whether this key is canonical: u &lt; p, u is on Curve25519 rather than its twist, and the
   * point has no small-order component ([L]P is the identity).
   */
  public boolean isCanonical() {
    return Curve25519Points.isCanonical(u);
  }

  /** Constant-time comparison of the u-coordinates. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ECPublicKey other && MessageDigest.isEqual(u, other.u);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(u);
  }

  /** Orders keys by their u-coordinate bytes, lexicographically and unsigned. */
  @Override
  public int compareTo(ECPublicKey other) {
    return Arrays.compareUnsigned(u, other.u);
  }

  @Override
  public String toString() {
    return "ECPublicKey[" + HexFormat.of().formatHex(u, 0, TO_STRING_PREFIX_BYTES) + "\u2026]";
  }
}
