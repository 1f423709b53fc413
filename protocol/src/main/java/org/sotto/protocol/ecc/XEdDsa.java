package org.sotto.protocol.ecc;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * XEdDSA over Curve25519 as libsignal uses it (signal.org/docs/specifications/xeddsa), with one
 * libsignal twist: the signer does not negate its scalar to force a zero sign bit; instead the sign
 * bit of its Ed25519 public key A = a·B travels in bit 7 of signature byte 63 (which is always zero
 * in a reduced scalar s).
 *
 * <p>Stateless and thread-safe.
 */
final class XEdDsa {

  /** Length of a signature R ‖ s. */
  static final int SIGNATURE_LENGTH = 64;

  /** Length of the per-signature random input Z; the spec asks for 64 bytes. */
  static final int RANDOM_LENGTH = 64;

  private static final int HASH_LENGTH = 64;
  private static final int LAST_SIGNATURE_BYTE = SIGNATURE_LENGTH - 1;

  /**
   * Bits of the last signature byte that must be zero once the sign bit is removed: the top three
   * bits of s, so that s &lt; 2^253.
   */
  private static final int HIGH_S_BITS = 0xE0;

  /** hash_1 prefix: the little-endian encoding of 2^256 − 2, i.e. 0xFE then 31 × 0xFF. */
  private static final byte[] HASH1_PREFIX = hash1Prefix();

  private XEdDsa() {}

  /**
   * Signs {@code message} with the clamped X25519 scalar {@code a} whose Ed25519 public key (with
   * its real sign bit) is {@code edwardsPublicKey}.
   */
  static byte[] sign(byte[] a, byte[] edwardsPublicKey, byte[] message, SecureRandom rng) {
    byte[] z = new byte[RANDOM_LENGTH];
    rng.nextBytes(z);
    byte[] digest = new byte[HASH_LENGTH];

    SHA512Digest sha512 = new SHA512Digest();
    sha512.update(HASH1_PREFIX, 0, HASH1_PREFIX.length);
    sha512.update(a, 0, a.length);
    sha512.update(message, 0, message.length);
    sha512.update(z, 0, z.length);
    sha512.doFinal(digest, 0);
    Arrays.fill(z, (byte) 0);
    BigInteger r =
        Curve25519Points.fromLittleEndian(digest, 0, HASH_LENGTH).mod(Curve25519Points.L);
    byte[] encodedR = Curve25519Points.scalarMultBaseEncoded(r);

    sha512.update(encodedR, 0, encodedR.length);
    sha512.update(edwardsPublicKey, 0, edwardsPublicKey.length);
    sha512.update(message, 0, message.length);
    sha512.doFinal(digest, 0);
    BigInteger h =
        Curve25519Points.fromLittleEndian(digest, 0, HASH_LENGTH).mod(Curve25519Points.L);
    Arrays.fill(digest, (byte) 0);

    BigInteger scalar = Curve25519Points.fromLittleEndian(a, 0, a.length);
    BigInteger s = h.multiply(scalar).add(r).mod(Curve25519Points.L);

    byte[] signature = new byte[SIGNATURE_LENGTH];
    System.arraycopy(encodedR, 0, signature, 0, encodedR.length);
    byte[] encodedS = Curve25519Points.toLittleEndian(s);
    System.arraycopy(encodedS, 0, signature, encodedR.length, encodedS.length);
    signature[LAST_SIGNATURE_BYTE] &= (byte) ~Curve25519Points.SIGN_BIT;
    signature[LAST_SIGNATURE_BYTE] |=
        (byte) (edwardsPublicKey[Curve25519Points.ELEMENT_LENGTH - 1] & Curve25519Points.SIGN_BIT);
    return signature;
  }

  /**
   * Verifies {@code signature} over {@code message} for the X25519 public key {@code u}; false for
   * any malformed input.
   */
  static boolean verify(byte[] u, byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    int signBit = signature[LAST_SIGNATURE_BYTE] & Curve25519Points.SIGN_BIT;
    byte[] edwardsPublicKey = Curve25519Points.edwardsFromMontgomery(u, signBit);
    if (edwardsPublicKey == null) {
      return false;
    }
    byte[] standard = signature.clone();
    standard[LAST_SIGNATURE_BYTE] &= (byte) ~Curve25519Points.SIGN_BIT;
    if ((standard[LAST_SIGNATURE_BYTE] & HIGH_S_BITS) != 0) {
      return false;
    }
    // R == [s]B − [SHA-512(R ‖ A ‖ M)]A, with BouncyCastle's checks that R and A decode and s < L.
    return Ed25519.verify(standard, 0, edwardsPublicKey, 0, message, 0, message.length);
  }

  private static byte[] hash1Prefix() {
    byte[] prefix = new byte[Curve25519Points.ELEMENT_LENGTH];
    Arrays.fill(prefix, (byte) 0xFF);
    prefix[0] = (byte) 0xFE;
    return prefix;
  }
}
