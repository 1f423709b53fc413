package org.sotto.protocol.kdf;

import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA256 (RFC 5869), extract then expand, via BouncyCastle. Stateless and thread-safe. */
public final class Hkdf {

  /** SHA-256 output length, HashLen in RFC 5869. */
  public static final int HASH_LENGTH = 32;

  /** RFC 5869 caps the output at 255 blocks of HashLen: 8160 bytes. */
  public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

  private Hkdf() {}

  /**
   * Derives {@code length} bytes.
   *
   * @param ikm input keying material
   * @param salt the salt; {@code null} means none, which RFC 5869 defines as HashLen zero bytes
   * @param info context and application-specific information; {@code null} means empty
   * @param length output length, 0 to {@value #MAX_OUTPUT_LENGTH}
   * @throws IllegalArgumentException if {@code length} is out of range
   */
  public static byte[] deriveSecrets(byte[] ikm, byte[] salt, byte[] info, int length) {
    Objects.requireNonNull(ikm, "ikm");
    if (length < 0 || length > MAX_OUTPUT_LENGTH) {
      throw new IllegalArgumentException(
          "HKDF output length must be 0.." + MAX_OUTPUT_LENGTH + ", got " + length);
    }
    byte[] out = new byte[length];
    if (length == 0) {
      return out;
    }
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, salt, info));
    generator.generateBytes(out, 0, length);
    return out;
  }
}
