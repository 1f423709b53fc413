package org.sotto.protocol.ecc;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Conversions between the three shapes of Curve25519: Montgomery (X25519 keys), Edwards (Ed25519
 * keys, as XEdDSA needs them) and BouncyCastle's short Weierstrass form "curve25519", which is
 * where the scalar multiplications happen.
 *
 * <p>The maps are the standard birational equivalences: Weierstrass x = u + A/3, y = v; Edwards y =
 * (u − 1)/(u + 1), x = c·u/v with c² = −(A + 2). Everything here is formula evaluation over
 * BouncyCastle field elements; no point arithmetic is written by hand. Stateless and thread-safe.
 */
final class Curve25519Points {

  /** Length of a field element, a scalar and an encoded point, in bytes. */
  static final int ELEMENT_LENGTH = 32;

  private static final X9ECParameters PARAMETERS = CustomNamedCurves.getByName("curve25519");
  static final ECCurve CURVE = PARAMETERS.getCurve();

  /** The Curve25519 base point (u = 9) in Weierstrass coordinates; generates the order-L group. */
  static final ECPoint BASE = PARAMETERS.getG();

  /** The field prime p = 2^255 − 19. */
  static final BigInteger P = CURVE.getField().getCharacteristic();

  /** The prime order L = 2^252 + 27742317777372353535851937790883648493 of the base point. */
  static final BigInteger L = PARAMETERS.getN();

  /** Montgomery coefficient A of v² = u³ + A·u² + u. */
  private static final BigInteger MONTGOMERY_A = BigInteger.valueOf(486662);

  private static final ECFieldElement ONE = CURVE.fromBigInteger(BigInteger.ONE);

  /** A/3 mod p: the shift between Montgomery u and Weierstrass x. */
  private static final ECFieldElement A_OVER_3 =
      CURVE.fromBigInteger(MONTGOMERY_A.multiply(BigInteger.valueOf(3).modInverse(P)).mod(P));

  /**
   * c = √−486664 mod p, the root for which the Curve25519 base point (u = 9) maps to the Ed25519
   * base point (x = 15112221349535400772501151409588531511454012693041857206046113283949847762202).
   * The other root would map every point to its negation and flip every sign bit.
   */
  static final BigInteger EDWARDS_X_SCALE =
      new BigInteger("70d9120b9f5ff9442d84f723fc03b0813a5e2c2eb482e57d3391fb5500ba81e7", 16);

  private static final ECFieldElement C = CURVE.fromBigInteger(EDWARDS_X_SCALE);

  /** Encoding of the Edwards identity (x = 0, y = 1). */
  private static final int IDENTITY_Y = 1;

  /** Bit 7 of the last byte of an Edwards encoding carries the parity of x. */
  static final int SIGN_BIT = 0x80;

  /**
   * Comb multiplier for secret scalars times the base point: table lookups are constant-time and it
   * avoids the variable-time wNAF that {@link ECPoint#multiply} would use (this is what
   * BouncyCastle itself uses for ECDSA nonces).
   */
  private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private Curve25519Points() {}

  /** Returns the Ed25519 encoding of k·B; {@code k} must lie in [0, L). */
  static byte[] scalarMultBaseEncoded(BigInteger k) {
    return encodeEdwards(BASE_MULTIPLIER.multiply(BASE, k));
  }

  /**
   * Encodes a Weierstrass point of the prime-order subgroup as an Ed25519 point (y ‖ sign of x).
   */
  static byte[] encodeEdwards(ECPoint point) {
    ECPoint w = point.normalize();
    if (w.isInfinity()) {
      byte[] identity = new byte[ELEMENT_LENGTH];
      identity[0] = IDENTITY_Y;
      return identity;
    }
    ECFieldElement u = w.getAffineXCoord().subtract(A_OVER_3);
    ECFieldElement v = w.getAffineYCoord();
    ECFieldElement uPlusOne = u.add(ONE);
    // One inversion for both quotients: 1/((u+1)·v).
    ECFieldElement inverse = uPlusOne.multiply(v).invert();
    ECFieldElement y = u.subtract(ONE).multiply(v).multiply(inverse);
    ECFieldElement x = C.multiply(u).multiply(uPlusOne).multiply(inverse);
    byte[] encoded = toLittleEndian(y);
    if (x.testBitZero()) {
      encoded[ELEMENT_LENGTH - 1] |= (byte) SIGN_BIT;
    }
    return encoded;
  }

  /**
   * Returns the Ed25519 encoding of the point with Edwards y = (u − 1)/(u + 1) and the given sign
   * bit ({@code 0} or {@link #SIGN_BIT}), or {@code null} if u ≥ p or u = −1 (no such y).
   */
  static byte[] edwardsFromMontgomery(byte[] u, int signBit) {
    BigInteger value = fromLittleEndian(u, 0, ELEMENT_LENGTH);
    if (value.compareTo(P) >= 0) {
      return null;
    }
    ECFieldElement uField = CURVE.fromBigInteger(value);
    ECFieldElement uPlusOne = uField.add(ONE);
    if (uPlusOne.isZero()) {
      return null;
    }
    ECFieldElement y = uField.subtract(ONE).multiply(uPlusOne.invert());
    byte[] encoded = toLittleEndian(y);
    encoded[ELEMENT_LENGTH - 1] |= (byte) (signBit & SIGN_BIT);
    return encoded;
  }

  /**
   * Whether {@code u} is a canonical encoding (u &lt; p) of a point on the curve (not its twist)
   * that lies in the prime-order subgroup, i.e. [L]P is the identity.
   */
  static boolean isCanonical(byte[] u) {
    // The subgroup does not depend on the sign of x, so sign 0 will do. BouncyCastle's full
    // validation decodes the point (rejecting the twist and y >= p) and checks [L]P = O with its
    // fast Edwards arithmetic (about 4x faster than the Weierstrass multiplication).
    byte[] edwards = edwardsFromMontgomery(u, 0);
    return edwards != null && Ed25519.validatePublicKeyFull(edwards, 0);
  }

  /** Reads an unsigned little-endian integer. */
  static BigInteger fromLittleEndian(byte[] bytes, int offset, int length) {
    byte[] bigEndian = new byte[length];
    for (int i = 0; i < length; i++) {
      bigEndian[i] = bytes[offset + length - 1 - i];
    }
    return new BigInteger(1, bigEndian);
  }

  /** Writes {@code value} (which must be below 2^256) as 32 little-endian bytes. */
  static byte[] toLittleEndian(BigInteger value) {
    byte[] bigEndian = value.toByteArray();
    byte[] out = new byte[ELEMENT_LENGTH];
    for (int i = 0; i < ELEMENT_LENGTH && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  private static byte[] toLittleEndian(ECFieldElement element) {
    byte[] bigEndian = element.getEncoded();
    byte[] out = new byte[ELEMENT_LENGTH];
    for (int i = 0; i < ELEMENT_LENGTH; i++) {
      out[i] = bigEndian[ELEMENT_LENGTH - 1 - i];
    }
    return out;
  }
}
