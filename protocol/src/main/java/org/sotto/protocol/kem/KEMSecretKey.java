package org.sotto.protocol.kem;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;

/**
 * A Kyber-1024 secret (decapsulation) key in the full 3168-byte expanded form {@code dk_pke ‖ ek ‖
 * H(ek) ‖ z}, serialized as {@code 0x08 ‖ 3168 bytes}. Immutable and thread-safe; {@link
 * #toString()} never shows key material.
 */
public final class KEMSecretKey {

  /** Length of the raw expanded key. */
  public static final int KEY_LENGTH = 3168;

  /** Length of the serialized form: type byte and raw key. */
  public static final int SERIALIZED_LENGTH = 1 + KEY_LENGTH;

  /** Where the public key ek starts inside the expanded key (after dk_pke, 4 × 384 bytes). */
  static final int PUBLIC_KEY_OFFSET = 1536;

  private final byte[] key;
  private final MLKEMPrivateKeyParameters parameters;

  private KEMSecretKey(byte[] key, MLKEMPrivateKeyParameters parameters) {
    this.key = key;
    this.parameters = parameters;
  }

  /**
   * Parses a serialized key: exactly {@value #SERIALIZED_LENGTH} bytes starting with 0x08, whose
   * embedded H(ek) matches its embedded public key.
   */
  public static KEMSecretKey fromBytes(byte[] serialized) throws InvalidKeyException {
    Objects.requireNonNull(serialized, "serialized");
    if (serialized.length != SERIALIZED_LENGTH) {
      throw new InvalidKeyException(
          "Kyber1024 secret key must be " + SERIALIZED_LENGTH + " bytes, got " + serialized.length);
    }
    int type = serialized[0] & 0xFF;
    if (type != KEMPublicKey.TYPE_KYBER1024) {
      throw new InvalidKeyException("Unknown KEM key type 0x" + Integer.toHexString(type));
    }
    return fromRaw(Arrays.copyOfRange(serialized, 1, SERIALIZED_LENGTH));
  }

  /** Takes ownership of a raw expanded key. */
  static KEMSecretKey fromRaw(byte[] key) throws InvalidKeyException {
    MLKEMPrivateKeyParameters parameters;
    try {
      // BouncyCastle checks the embedded H(ek) against ek here.
      parameters = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_1024, key);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("Malformed Kyber1024 secret key", e);
    }
    return new KEMSecretKey(key, parameters);
  }

  /** Returns a fresh copy of {@code 0x08 ‖ key}. */
  public byte[] serialize() {
    byte[] out = new byte[SERIALIZED_LENGTH];
    out[0] = (byte) KEMPublicKey.TYPE_KYBER1024;
    System.arraycopy(key, 0, out, 1, KEY_LENGTH);
    return out;
  }

  /**
   * Decapsulates a serialized ciphertext ({@code 0x08 ‖ 1568 bytes}) into the 32-byte round-3
   * shared secret. A well-formed but tampered ciphertext yields an unrelated secret, not an
   * exception (implicit rejection).
   *
   * @throws InvalidMessageException if the ciphertext has the wrong length or type byte
   */
  public byte[] decapsulate(byte[] ciphertext) throws InvalidMessageException {
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (ciphertext.length != Kyber1024.SERIALIZED_CIPHERTEXT_LENGTH) {
      throw new InvalidMessageException(
          "Kyber1024 ciphertext must be "
              + Kyber1024.SERIALIZED_CIPHERTEXT_LENGTH
              + " bytes, got "
              + ciphertext.length);
    }
    int type = ciphertext[0] & 0xFF;
    if (type != KEMPublicKey.TYPE_KYBER1024) {
      throw new InvalidMessageException(
          "Unknown KEM ciphertext type 0x" + Integer.toHexString(type));
    }
    byte[] raw = Arrays.copyOfRange(ciphertext, 1, ciphertext.length);
    byte[] mlkemSecret = new MLKEMExtractor(parameters).extractSecret(raw);
    try {
      return Kyber1024.roundThreeSecret(mlkemSecret, raw);
    } finally {
      Arrays.fill(mlkemSecret, (byte) 0);
    }
  }

  /** The embedded public key ek. */
  byte[] embeddedPublicKey() {
    return Arrays.copyOfRange(key, PUBLIC_KEY_OFFSET, PUBLIC_KEY_OFFSET + KEMPublicKey.KEY_LENGTH);
  }

  @Override
  public String toString() {
    return "KEMSecretKey[redacted]";
  }
}
