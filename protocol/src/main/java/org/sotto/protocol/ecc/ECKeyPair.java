package org.sotto.protocol.ecc;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.sotto.protocol.InvalidKeyException;

/**
 * A Curve25519 key pair. The constructor checks that the public key is the private key's; {@link
 * #toString()} shows only the public key. Immutable and thread-safe.
 *
 * @param publicKey the X25519 public key
 * @param privateKey the private key it belongs to
 */
public record ECKeyPair(ECPublicKey publicKey, ECPrivateKey privateKey) {

  /**
   * @throws IllegalArgumentException if {@code publicKey} is not {@code privateKey}'s public key
   */
  public ECKeyPair {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
    if (!privateKey.publicKey().equals(publicKey)) {
      throw new IllegalArgumentException("Public key does not belong to the private key");
    }
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
