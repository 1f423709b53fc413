package org.sotto.protocol.ecc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

class Curve25519PointsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  /** RFC 8032 §5.1: the Ed25519 base point. */
  private static final BigInteger ED25519_BASE_X =
      new BigInteger(
          "15112221349535400772501151409588531511454012693041857206046113283949847762202");

  private static final BigInteger ED25519_BASE_Y =
      BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);

  @Test
  void edwardsXScale_squared_isMinus486664() {
    BigInteger c = Curve25519Points.EDWARDS_X_SCALE;
    assertEquals(P.subtract(BigInteger.valueOf(486664)), c.multiply(c).mod(P));
  }

  @Test
  void edwardsXScale_onBasePoint_givesEd25519BaseX() {
    ECPoint g = Curve25519Points.BASE.normalize();
    BigInteger aOver3 =
        BigInteger.valueOf(486662).multiply(BigInteger.valueOf(3).modInverse(P)).mod(P);
    BigInteger u = g.getAffineXCoord().toBigInteger().subtract(aOver3).mod(P);
    BigInteger v = g.getAffineYCoord().toBigInteger();
    assertEquals(BigInteger.valueOf(9), u);
    BigInteger x = Curve25519Points.EDWARDS_X_SCALE.multiply(u).multiply(v.modInverse(P)).mod(P);
    assertEquals(ED25519_BASE_X, x);
  }

  @Test
  void encodeEdwards_basePoint_isRfc8032BasePointEncoding() {
    byte[] expected = Curve25519Points.toLittleEndian(ED25519_BASE_Y);
    if (ED25519_BASE_X.testBit(0)) {
      expected[31] |= (byte) 0x80;
    }
    assertEquals(
        "5866666666666666666666666666666666666666666666666666666666666666",
        HEX.formatHex(expected));
    assertArrayEquals(expected, Curve25519Points.encodeEdwards(Curve25519Points.BASE));
    assertArrayEquals(expected, Curve25519Points.scalarMultBaseEncoded(BigInteger.ONE));
  }

  @Test
  void scalarMultBaseEncoded_zero_isIdentity() {
    byte[] identity = new byte[32];
    identity[0] = 1;
    assertArrayEquals(identity, Curve25519Points.scalarMultBaseEncoded(BigInteger.ZERO));
  }

  @Test
  void scalarMultBaseEncoded_ed25519SecretScalars_matchBouncyCastlePublicKeys() {
    // Ed25519 public key = prune(SHA-512(seed)[0..32])·B; BouncyCastle computes it on Edwards
    // coordinates, so this checks our Weierstrass → Edwards map, sign bit included.
    SecureRandom rng = TestRandom.create("scalarMultBaseEncoded_ed25519SecretScalars");
    int[] signBits = new int[2];
    for (int i = 0; i < 100; i++) {
      byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
      rng.nextBytes(seed);
      byte[] h = new byte[64];
      SHA512Digest sha512 = new SHA512Digest();
      sha512.update(seed, 0, seed.length);
      sha512.doFinal(h, 0);
      h[0] &= (byte) 0xF8;
      h[31] &= 0x7F;
      h[31] |= 0x40;
      BigInteger s = Curve25519Points.fromLittleEndian(h, 0, 32).mod(Curve25519Points.L);

      byte[] expected = new byte[Ed25519.PUBLIC_KEY_SIZE];
      Ed25519.generatePublicKey(seed, 0, expected, 0);
      byte[] actual = Curve25519Points.scalarMultBaseEncoded(s);
      assertArrayEquals(expected, actual);
      signBits[(actual[31] >> 7) & 1]++;
    }
    // Both signs occurred, so the sign mapping was exercised either way.
    assertTrue(signBits[0] > 0 && signBits[1] > 0, "both sign bits seen");
  }

  @Test
  void edwardsFromMontgomery_x25519PublicKeyWithRealSign_equalsSignersEdwardsKey() {
    SecureRandom rng = TestRandom.create("edwardsFromMontgomery_x25519PublicKeyWithRealSign");
    for (int i = 0; i < 100; i++) {
      ECPrivateKey privateKey = ECKeyPair.generate(rng).privateKey();
      byte[] edwards = privateKey.edwardsPublicKey();
      byte[] u = privateKey.publicKey().rawBytes();
      assertArrayEquals(edwards, Curve25519Points.edwardsFromMontgomery(u, edwards[31] & 0x80));
    }
  }

  @Test
  void edwardsFromMontgomery_uAtLeastPOrMinusOne_null() {
    assertNull(Curve25519Points.edwardsFromMontgomery(Curve25519Points.toLittleEndian(P), 0));
    assertNull(
        Curve25519Points.edwardsFromMontgomery(
            Curve25519Points.toLittleEndian(P.subtract(BigInteger.ONE)), 0));
    byte[] allOnes = new byte[32];
    java.util.Arrays.fill(allOnes, (byte) 0xFF);
    assertNull(Curve25519Points.edwardsFromMontgomery(allOnes, 0));
  }

  @Test
  void littleEndian_roundTrip_preservesValue() {
    BigInteger value = P.subtract(BigInteger.valueOf(12345));
    byte[] encoded = Curve25519Points.toLittleEndian(value);
    assertEquals((byte) (value.intValue() & 0xFF), encoded[0]);
    assertEquals(value, Curve25519Points.fromLittleEndian(encoded, 0, 32));
  }
}
