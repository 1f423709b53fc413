package org.sotto.protocol.kem;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.sotto.protocol.InvalidKeyException;

/**
 * A Kyber-1024 key pair. The constructor checks that the public key is the one embedded in the
 * secret key; {@link #toString()} shows only the public key. Immutable and thread-safe.
 *
 * @param publicKey the encapsulation key
 * @param secretKey the decapsulation key it belongs to
 */
public record KEMKeyPair(KEMPublicKey publicKey, KEMSecretKey secretKey) {

  /**
   * @throws IllegalArgumentException if {@code publicKey} is not {@code secretKey}'s public key
   */
  public KEMKeyPair {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(secretKey, "secretKey");
    if (!publicKey.matches(secretKey.embeddedPublicKey(), 0)) {
      throw new IllegalArgumentException("Public key does not belong to the secret key");
    }
  }

  /** Generates a key pair with randomness from {@code rng}. */
  public static KEMKeyPair generate(SecureRandom rng) {
    Objects.requireNonNull(rng, "rng");
    MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
    generator.init(new MLKEMKeyGenerationParameters(rng, MLKEMParameters.ml_kem_1024));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    MLKEMPublicKeyParameters publicParameters = (MLKEMPublicKeyParameters) pair.getPublic();
    // BouncyCastle also keeps the 64-byte seed (d ‖ z) and may prefer it for ASN.1 encodings; ask
    // explicitly for the expanded form that libsignal stores.
    byte[] expanded =
        ((MLKEMPrivateKeyParameters) pair.getPrivate())
            .withPreferredFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY)
            .getEncoded();
    if (expanded.length != KEMSecretKey.KEY_LENGTH) {
      throw new AssertionError("ML-KEM-1024 expanded key has " + expanded.length + " bytes");
    }
    try {
      return new KEMKeyPair(
          KEMPublicKey.fromTrustedRaw(publicParameters.getEncoded()),
          KEMSecretKey.fromRaw(expanded));
    } catch (InvalidKeyException e) {
      throw new AssertionError("Freshly generated ML-KEM-1024 key does not parse", e);
    }
  }

  @Override
  public String toString() {
    return "KEMKeyPair[publicKey=" + publicKey + ", secretKey=" + secretKey + "]";
  }
}
