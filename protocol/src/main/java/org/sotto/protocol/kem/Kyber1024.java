package org.sotto.protocol.kem;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.kems.MLKEMGenerator;

/**
 * Kyber-1024 encapsulation, round-3 flavour. ML-KEM-1024 (FIPS 203) and round-3 Kyber-1024 share
 * key and ciphertext formats; they differ in the final key derivation, which round 3 performs as
 * {@code SHAKE256(K ‖ SHA3-256(c), 32)} on top of the value ML-KEM returns. Applying that step to
 * BouncyCastle's ML-KEM result gives libsignal's type-0x08 secret for every valid ciphertext. (On
 * an invalid ciphertext both reject implicitly, with pseudo-random secrets that differ between the
 * two schemes; neither matches the sender's, so nothing on the wire depends on the difference.)
 *
 * <p>Stateless and thread-safe.
 */
public final class Kyber1024 {

  /** Length of a raw ciphertext. */
  public static final int CIPHERTEXT_LENGTH = 1568;

  /** Length of a ciphertext on the wire: type byte 0x08 and raw ciphertext. */
  public static final int SERIALIZED_CIPHERTEXT_LENGTH = 1 + CIPHERTEXT_LENGTH;

  /** Length of the shared secret. */
  public static final int SHARED_SECRET_LENGTH = 32;

  /** SHA3-256 output length. */
  private static final int CIPHERTEXT_HASH_BITS = 256;

  /** Round-3 Kyber's KDF is SHAKE256. */
  private static final int KDF_SECURITY_BITS = 256;

  private Kyber1024() {}

  /**
   * Encapsulates a fresh shared secret to {@code publicKey}; {@code rng} supplies the 32-byte
   * message.
   */
  public static Encapsulation encapsulate(KEMPublicKey publicKey, SecureRandom rng) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(rng, "rng");
    SecretWithEncapsulation result =
        new MLKEMGenerator(rng).generateEncapsulated(publicKey.parameters());
    byte[] raw = result.getEncapsulation();
    byte[] mlkemSecret = result.getSecret();
    try {
      byte[] ciphertext = new byte[SERIALIZED_CIPHERTEXT_LENGTH];
      ciphertext[0] = (byte) KEMPublicKey.TYPE_KYBER1024;
      System.arraycopy(raw, 0, ciphertext, 1, raw.length);
      return new Encapsulation(ciphertext, roundThreeSecret(mlkemSecret, raw));
    } finally {
      Arrays.fill(mlkemSecret, (byte) 0);
      try {
        result.destroy();
      } catch (javax.security.auth.DestroyFailedException e) {
        // Best-effort wipe only; the copies we hold are wiped above.
      }
    }
  }

  /** {@code SHAKE256(mlkemSecret ‖ SHA3-256(rawCiphertext), 32)}. */
  static byte[] roundThreeSecret(byte[] mlkemSecret, byte[] rawCiphertext) {
    SHA3Digest sha3 = new SHA3Digest(CIPHERTEXT_HASH_BITS);
    sha3.update(rawCiphertext, 0, rawCiphertext.length);
    byte[] ciphertextHash = new byte[sha3.getDigestSize()];
    sha3.doFinal(ciphertextHash, 0);

    SHAKEDigest shake = new SHAKEDigest(KDF_SECURITY_BITS);
    shake.update(mlkemSecret, 0, mlkemSecret.length);
    shake.update(ciphertextHash, 0, ciphertextHash.length);
    byte[] secret = new byte[SHARED_SECRET_LENGTH];
    shake.doFinal(secret, 0, SHARED_SECRET_LENGTH);
    return secret;
  }
}
