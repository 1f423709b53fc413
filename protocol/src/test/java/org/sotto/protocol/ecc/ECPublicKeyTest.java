package org.sotto.protocol.ecc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.protocol.InvalidKeyException;

class ECPublicKeyTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger A = BigInteger.valueOf(486662);

  @Test
  void fromBytes_serializedKey_roundTrips() throws Exception {
    byte[] u = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    ECPublicKey key = ECPublicKey.fromRaw(u);
    byte[] serialized = key.serialize();
    assertEquals(ECPublicKey.SERIALIZED_LENGTH, serialized.length);
    assertEquals(0x05, serialized[0]);
    assertArrayEquals(u, Arrays.copyOfRange(serialized, 1, 33));
    assertEquals(key, ECPublicKey.fromBytes(serialized));
    assertArrayEquals(u, ECPublicKey.fromBytes(serialized).rawBytes());
  }

  @Test
  void fromBytes_atOffset_readsThirtyThreeBytesThere() throws Exception {
    ECPublicKey key = randomKey(new SecureRandom());
    byte[] buf = new byte[40];
    System.arraycopy(key.serialize(), 0, buf, 5, 33);
    assertEquals(key, ECPublicKey.fromBytes(buf, 5));
    assertThrows(InvalidKeyException.class, () -> ECPublicKey.fromBytes(buf, 8));
    assertThrows(InvalidKeyException.class, () -> ECPublicKey.fromBytes(buf, -1));
  }

  @Test
  void fromBytes_wrongTypeByte_throws() throws Exception {
    byte[] serialized = randomKey(new SecureRandom()).serialize();
    serialized[0] = 0x06;
    assertThrows(InvalidKeyException.class, () -> ECPublicKey.fromBytes(serialized));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 32, 34})
  void fromBytes_wrongLength_throws(int length) {
    byte[] serialized = new byte[length];
    if (length > 0) {
      serialized[0] = 0x05;
    }
    assertThrows(InvalidKeyException.class, () -> ECPublicKey.fromBytes(serialized));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33})
  void fromRaw_wrongLength_throws(int length) {
    assertThrows(InvalidKeyException.class, () -> ECPublicKey.fromRaw(new byte[length]));
  }

  @Test
  void serializeAndRawBytes_mutatedCopies_keyUnchanged() throws Exception {
    byte[] u = new byte[32];
    u[0] = 9;
    ECPublicKey key = ECPublicKey.fromRaw(u);
    u[0] = 10;
    key.serialize()[1] = 11;
    key.rawBytes()[0] = 12;
    assertEquals(9, key.rawBytes()[0]);
    assertEquals(9, key.serialize()[1]);
  }

  @Test
  void equalsAndHashCode_sameBytes_equal() throws Exception {
    ECPublicKey key = randomKey(new SecureRandom());
    ECPublicKey copy = ECPublicKey.fromRaw(key.rawBytes());
    assertEquals(key, copy);
    assertEquals(key.hashCode(), copy.hashCode());
    byte[] other = key.rawBytes();
    other[31] ^= 1;
    assertNotEquals(key, ECPublicKey.fromRaw(other));
    assertNotEquals(key, null);
  }

  @Test
  void compareTo_highByte_ordersUnsigned() throws Exception {
    byte[] low = new byte[32];
    byte[] high = new byte[32];
    low[0] = 0x7F;
    high[0] = (byte) 0x80;
    ECPublicKey lowKey = ECPublicKey.fromRaw(low);
    ECPublicKey highKey = ECPublicKey.fromRaw(high);
    assertTrue(lowKey.compareTo(highKey) < 0);
    assertTrue(highKey.compareTo(lowKey) > 0);
    assertEquals(0, lowKey.compareTo(ECPublicKey.fromRaw(low)));
  }

  @Test
  void toString_anyKey_showsFirstFourBytesOnly() throws Exception {
    ECPublicKey key =
        ECPublicKey.fromRaw(
            HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    assertEquals("ECPublicKey[8520f009\u2026]", key.toString());
  }

  @Test
  void isCanonical_generatedKeys_true() {
    SecureRandom rng = TestRandom.create("isCanonical_generatedKeys_true");
    for (int i = 0; i < 50; i++) {
      assertTrue(ECKeyPair.generate(rng).publicKey().isCanonical());
    }
  }

  @Test
  void isCanonical_basePoint_true() throws Exception {
    assertTrue(raw(BigInteger.valueOf(9)).isCanonical());
  }

  @Test
  void isCanonical_uEqualsP_false() throws Exception {
    assertFalse(raw(P).isCanonical());
  }

  @Test
  void isCanonical_nonCanonicalEncodingOfValidKey_false() throws Exception {
    // u + p still fits in 255 bits for small u and names the same point as u.
    assertTrue(raw(BigInteger.valueOf(9)).isCanonical());
    assertFalse(raw(BigInteger.valueOf(9).add(P)).isCanonical());
  }

  @Test
  void isCanonical_topBitSet_false() throws Exception {
    byte[] u = ECKeyPair.generate(new SecureRandom()).publicKey().rawBytes();
    u[31] |= (byte) 0x80;
    assertFalse(ECPublicKey.fromRaw(u).isCanonical());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0000000000000000000000000000000000000000000000000000000000000000", // order 2
        "0100000000000000000000000000000000000000000000000000000000000000", // order 4
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // u = −1
      })
  void isCanonical_lowOrderPoint_false(String u) throws Exception {
    assertFalse(ECPublicKey.fromRaw(HEX.parseHex(u)).isCanonical());
  }

  @Test
  void isCanonical_twistPoint_false() throws Exception {
    BigInteger u = BigInteger.TWO;
    while (isSquare(montgomeryRhs(u))) {
      u = u.add(BigInteger.ONE);
    }
    assertFalse(raw(u).isCanonical(), "u = " + u + " lies on the twist");
  }

  @Test
  void isCanonical_pointPlusTorsionOfOrderTwo_false() throws Exception {
    // Adding the order-2 point (0, 0) maps u to 1/u: same curve, order 2L instead of L.
    SecureRandom rng = TestRandom.create("isCanonical_pointPlusTorsionOfOrderTwo_false");
    for (int i = 0; i < 10; i++) {
      ECPublicKey key = ECKeyPair.generate(rng).publicKey();
      BigInteger u = Curve25519Points.fromLittleEndian(key.rawBytes(), 0, 32);
      BigInteger inverse = u.modInverse(P);
      assertTrue(isSquare(montgomeryRhs(inverse)), "1/u is on the curve");
      assertFalse(raw(inverse).isCanonical());
    }
  }

  private static BigInteger montgomeryRhs(BigInteger u) {
    return u.pow(3).add(A.multiply(u.pow(2))).add(u).mod(P);
  }

  /** Euler's criterion. */
  private static boolean isSquare(BigInteger x) {
    return x.signum() == 0
        || x.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }

  private static ECPublicKey raw(BigInteger u) throws InvalidKeyException {
    return ECPublicKey.fromRaw(Curve25519Points.toLittleEndian(u));
  }

  private static ECPublicKey randomKey(SecureRandom rng) {
    return ECKeyPair.generate(rng).publicKey();
  }
}
