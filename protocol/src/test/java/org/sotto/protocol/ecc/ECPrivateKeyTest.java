package org.sotto.protocol.ecc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.protocol.InvalidKeyException;

class ECPrivateKeyTest {

  private static final HexFormat HEX = HexFormat.of();

  // RFC 7748 §6.1.
  private static final String ALICE_PRIVATE =
      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
  private static final String ALICE_PUBLIC =
      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
  private static final String BOB_PRIVATE =
      "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
  private static final String BOB_PUBLIC =
      "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
  private static final String SHARED =
      "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

  @Test
  void calculateAgreement_rfc7748Section5_2Vector1_matchesOutput() throws Exception {
    ECPrivateKey k = key("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    ECPublicKey u =
        ECPublicKey.fromRaw(
            HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
    assertEquals(
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        HEX.formatHex(k.calculateAgreement(u)));
  }

  @Test
  void calculateAgreement_rfc7748Section5_2Vector2_matchesOutput() throws Exception {
    ECPrivateKey k = key("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
    ECPublicKey u =
        ECPublicKey.fromRaw(
            HEX.parseHex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));
    assertEquals(
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
        HEX.formatHex(k.calculateAgreement(u)));
  }

  @Test
  void publicKey_rfc7748Section6_1_matchesPublishedKeys() throws Exception {
    assertEquals(ALICE_PUBLIC, HEX.formatHex(key(ALICE_PRIVATE).publicKey().rawBytes()));
    assertEquals(BOB_PUBLIC, HEX.formatHex(key(BOB_PRIVATE).publicKey().rawBytes()));
  }

  @Test
  void calculateAgreement_rfc7748Section6_1BothSides_matchSharedSecret() throws Exception {
    ECPublicKey alicePublic = ECPublicKey.fromRaw(HEX.parseHex(ALICE_PUBLIC));
    ECPublicKey bobPublic = ECPublicKey.fromRaw(HEX.parseHex(BOB_PUBLIC));
    assertEquals(SHARED, HEX.formatHex(key(ALICE_PRIVATE).calculateAgreement(bobPublic)));
    assertEquals(SHARED, HEX.formatHex(key(BOB_PRIVATE).calculateAgreement(alicePublic)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0000000000000000000000000000000000000000000000000000000000000000", // u = 0, order 2
        "0100000000000000000000000000000000000000000000000000000000000000", // u = 1, order 4
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // u = p − 1
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // u = p ≡ 0
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // u = p + 1 ≡ 1
      })
  void calculateAgreement_lowOrderPoint_throws(String u) throws Exception {
    ECPublicKey lowOrder = ECPublicKey.fromRaw(HEX.parseHex(u));
    assertThrows(InvalidKeyException.class, () -> key(ALICE_PRIVATE).calculateAgreement(lowOrder));
  }

  @Test
  void calculateAgreement_randomPairs_agree() throws Exception {
    SecureRandom rng = TestRandom.create("calculateAgreement_randomPairs_agree");
    for (int i = 0; i < 20; i++) {
      ECKeyPair a = ECKeyPair.generate(rng);
      ECKeyPair b = ECKeyPair.generate(rng);
      assertArrayEquals(
          a.privateKey().calculateAgreement(b.publicKey()),
          b.privateKey().calculateAgreement(a.publicKey()));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33})
  void fromBytes_wrongLength_throws(int length) {
    assertThrows(InvalidKeyException.class, () -> ECPrivateKey.fromBytes(new byte[length]));
  }

  @Test
  void serialize_unclampedInput_returnsSameBytesAsFreshCopy() throws Exception {
    byte[] raw = new byte[32];
    java.util.Arrays.fill(raw, (byte) 0xFF); // clamping would change both ends
    ECPrivateKey k = ECPrivateKey.fromBytes(raw);
    byte[] first = k.serialize();
    assertArrayEquals(raw, first);
    first[0] = 0;
    assertArrayEquals(raw, k.serialize());
    assertNotSame(k.serialize(), k.serialize());
  }

  @Test
  void fromBytes_inputMutatedAfterwards_keyUnchanged() throws Exception {
    byte[] raw = HEX.parseHex(ALICE_PRIVATE);
    ECPrivateKey k = ECPrivateKey.fromBytes(raw);
    raw[5] ^= 1;
    assertEquals(ALICE_PUBLIC, HEX.formatHex(k.publicKey().rawBytes()));
  }

  @Test
  void toString_anyKey_containsNoKeyBytes() throws Exception {
    ECPrivateKey k = key(ALICE_PRIVATE);
    String s = k.toString();
    assertEquals("ECPrivateKey[redacted]", s);
    assertNoHexWindow(s, HEX.parseHex(ALICE_PRIVATE));
  }

  /** Fails if any 4-byte window of {@code secret} shows up in {@code text} as hex. */
  static void assertNoHexWindow(String text, byte[] secret) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    for (int i = 0; i + 4 <= secret.length; i++) {
      String window = HEX.formatHex(secret, i, i + 4);
      assertFalse(lower.contains(window), "toString leaks secret bytes at " + i + ": " + text);
    }
  }

  private static ECPrivateKey key(String hex) throws InvalidKeyException {
    return ECPrivateKey.fromBytes(HEX.parseHex(hex));
  }
}
