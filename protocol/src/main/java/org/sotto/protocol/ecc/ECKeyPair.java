package org.sotto.protocol.ecc;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.sotto.protocol.InvalidKeyException;

/**
 * A Curve25519 key pair; {@link #toString()} shows only the public key. Immutable and thread-safe.
 *
 * <p>The constructor does not check that the halves belong together: deriving the public key costs
 * a scalar multiplication, and pairs are rebuilt from our own stored records on every ratchet step.
 * A mismatched pair from corrupted storage only makes decryption fail (with a typed exception).
 * Input from anywhere else goes through {@link #checked}.
 *
 * @param publicKey the X25519 public key
 * @param privateKey the private key it belongs to
 */
public record ECKeyPair(ECPublicKey publicKey, ECPrivateKey privateKey) {

  /** Pairs the keys without checking them (see the class comment). */
  public ECKeyPair {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /**
   * Pairs the keys after checking that {@code publicKey} is {@code privateKey}'s public key.
   *
   * @throws InvalidKeyException if it is not
   */
  public static ECKeyPair checked(ECPublicKey publicKey, ECPrivateKey privateKey)
      throws InvalidKeyException {
    if (!privateKey.publicKey().equals(publicKey)) {
      throw new InvalidKeyException("public key does not belong to the private key");
    }
    return new ECKeyPair(publicKey, privateKey);
  }

  /** Generates a key pair from a clamped random private key drawn from {@code rng}. */
  public static ECKeyPair generate(SecureRandom rng) {
    Objects.requireNonNull(rng, "rng");
    byte[] raw = new byte[ECPrivateKey.KEY_LENGTH];
    X25519.generatePrivateKey(rng, raw);
    ECPrivateKey privateKey;
    try {
      privateKey = ECPrivateKey.fromBytes(raw);
    } catch (InvalidKeyException e) {
      throw new AssertionError("Generated private key has the wrong length", e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    return new ECKeyPair(privateKey.publicKey(), privateKey);
  }

  @Override
  public String toString() {
    return "ECKeyPair[publicKey=" + publicKey + ", privateKey=" + privateKey + "]";
  }
}
