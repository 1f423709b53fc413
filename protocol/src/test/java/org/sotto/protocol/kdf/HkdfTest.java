package org.sotto.protocol.kdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HkdfTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] IKM_22 = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");

  @Test
  void deriveSecrets_rfc5869TestCase1_matchesOkm() {
    byte[] okm =
        Hkdf.deriveSecrets(
            IKM_22,
            HEX.parseHex("000102030405060708090a0b0c"),
            HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"),
            42);
    assertEquals(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        HEX.formatHex(okm));
  }

  @Test
  void deriveSecrets_rfc5869TestCase2_matchesOkm() {
    byte[] ikm = range(0x00, 0x50);
    byte[] salt = range(0x60, 0xb0);
    byte[] info = range(0xb0, 0x100);
    byte[] okm = Hkdf.deriveSecrets(ikm, salt, info, 82);
    assertEquals(
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            + "cc30c58179ec3e87c14c01d5c1f3434f1d87",
        HEX.formatHex(okm));
  }

  @Test
  void deriveSecrets_rfc5869TestCase3EmptySaltAndInfo_matchesOkm() {
    String expected =
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
    assertEquals(expected, HEX.formatHex(Hkdf.deriveSecrets(IKM_22, new byte[0], new byte[0], 42)));
  }

  @Test
  void deriveSecrets_nullSalt_sameAsHashLenZeros() {
    byte[] none = Hkdf.deriveSecrets(IKM_22, null, null, 42);
    assertArrayEquals(
        none, Hkdf.deriveSecrets(IKM_22, new byte[Hkdf.HASH_LENGTH], new byte[0], 42));
    // RFC 5869 test case 3 uses an empty salt, which HMAC pads to the same zero key.
    assertEquals(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        HEX.formatHex(none));
  }

  @Test
  void deriveSecrets_shorterLength_isPrefixOfLonger() {
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    byte[] longer = Hkdf.deriveSecrets(IKM_22, salt, info, 80);
    byte[] shorter = Hkdf.deriveSecrets(IKM_22, salt, info, 32);
    assertArrayEquals(java.util.Arrays.copyOf(longer, 32), shorter);
  }

  @Test
  void deriveSecrets_zeroAndMaximumLength_succeed() {
    assertEquals(0, Hkdf.deriveSecrets(IKM_22, null, null, 0).length);
    assertEquals(
        Hkdf.MAX_OUTPUT_LENGTH,
        Hkdf.deriveSecrets(IKM_22, null, null, Hkdf.MAX_OUTPUT_LENGTH).length);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 255 * 32 + 1})
  void deriveSecrets_lengthOutOfRange_throws(int length) {
    assertThrows(
        IllegalArgumentException.class, () -> Hkdf.deriveSecrets(IKM_22, null, null, length));
  }

  private static byte[] range(int fromInclusive, int toExclusive) {
    byte[] out = new byte[toExclusive - fromInclusive];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (fromInclusive + i);
    }
    return out;
  }
}
