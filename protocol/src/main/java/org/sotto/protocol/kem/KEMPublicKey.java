package org.sotto.protocol.kem;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.sotto.protocol.InvalidKeyException;

/**
 * A Kyber-1024 public (encapsulation) key, serialized as {@code 0x08 ‖ 1568 bytes}. Parsing rejects
 * keys whose polynomial coefficients are not reduced mod q, the check FIPS 203 asks of an
 * encapsulator: honest key generation never produces them. Immutable and thread-safe.
 */
public final class KEMPublicKey {

  /** Type byte of a round-3 Kyber-1024 key in Signal's serialization. */
  public static final int TYPE_KYBER1024 = 0x08;

  /** Length of the raw key: 4 × 384 bytes of the vector t̂ and the 32-byte seed ρ. */
  public static final int KEY_LENGTH = 1568;

  /** Length of the serialized form: type byte and raw key. */
  public static final int SERIALIZED_LENGTH = 1 + KEY_LENGTH;

  /** Bytes of the encoded vector t̂ (k = 4 polynomials × 256 coefficients × 12 bits). */
  private static final int ENCODED_T_LENGTH = 1536;

  /** The Kyber modulus q; every 12-bit coefficient of t̂ must be below it. */
  private static final int Q = 3329;

  private static final int TO_STRING_PREFIX_BYTES = 4;

  private final byte[] key;
  private final MLKEMPublicKeyParameters parameters;

  private KEMPublicKey(byte[] key) {
    this.key = key;
    this.parameters = new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_1024, key);
  }

  /** Parses a serialized key: exactly {@value #SERIALIZED_LENGTH} bytes starting with 0x08. */
  public static KEMPublicKey fromBytes(byte[] serialized) throws InvalidKeyException {
    Objects.requireNonNull(serialized, "serialized");
    if (serialized.length != SERIALIZED_LENGTH) {
      throw new InvalidKeyException(
          "Kyber1024 public key must be " + SERIALIZED_LENGTH + " bytes, got " + serialized.length);
    }
    int type = serialized[0] & 0xFF;
    if (type != TYPE_KYBER1024) {
      throw new InvalidKeyException("Unknown KEM key type 0x" + Integer.toHexString(type));
    }
    byte[] key = Arrays.copyOfRange(serialized, 1, SERIALIZED_LENGTH);
    if (!coefficientsReduced(key)) {
      throw new InvalidKeyException("Kyber1024 public key has unreduced coefficients");
    }
    return new KEMPublicKey(key);
  }

  /** Wraps a raw key that comes from our own key generation. */
  static KEMPublicKey fromTrustedRaw(byte[] key) {
    return new KEMPublicKey(key.clone());
  }

  /** Returns a fresh copy of {@code 0x08 ‖ key}. */
  public byte[] serialize() {
    byte[] out = new byte[SERIALIZED_LENGTH];
    out[0] = (byte) TYPE_KYBER1024;
    System.arraycopy(key, 0, out, 1, KEY_LENGTH);
    return out;
  }

  MLKEMPublicKeyParameters parameters() {
    return parameters;
  }

  /** Whether the raw key bytes equal {@code other}'s bytes at {@code offset}. */
  boolean matches(byte[] other, int offset) {
    return MessageDigest.isEqual(key, Arrays.copyOfRange(other, offset, offset + KEY_LENGTH));
  }

  /** Every pair of 12-bit little-endian values in t̂ must be below q (FIPS 203 §7.2). */
  private static boolean coefficientsReduced(byte[] key) {
    for (int i = 0; i < ENCODED_T_LENGTH; i += 3) {
      int b0 = key[i] & 0xFF;
      int b1 = key[i + 1] & 0xFF;
      int b2 = key[i + 2] & 0xFF;
      int c0 = b0 | ((b1 & 0x0F) << 8);
      int c1 = (b1 >>> 4) | (b2 << 4);
      if (c0 >= Q || c1 >= Q) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KEMPublicKey other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "KEMPublicKey[" + HexFormat.of().formatHex(key, 0, TO_STRING_PREFIX_BYTES) + "\u2026]";
  }
}
