package org.sotto.protocol.ecc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** XEdDSA through the public API: {@link ECPrivateKey#calculateSignature} and its verifier. */
class XEdDsaTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final int ROUND_TRIPS = 250;

  // libsignal-protocol-c's curve25519 signature test: Alice's identity key signs her serialized
  // ephemeral public key. Produced by libsignal's XEdDSA, so this pins the wire convention.
  private static final String ALICE_IDENTITY_PRIVATE =
      "c097248412e58bf05df487968205132794178e367637f5818f81e0e6ce73e865";
  private static final String ALICE_IDENTITY_PUBLIC =
      "05ab7e717d4a163b7d9a1d8071dfe9dcf8cdcd1cea3339b6356be84d887e322c64";
  private static final String ALICE_EPHEMERAL_PUBLIC =
      "05edce9d9c415ca78cb7252e72c2c4a554d3eb29485a0e1d503118d1a82d99fb4a";
  private static final String ALICE_SIGNATURE =
      "5de88ca9a89b4a115da79109c67c9c7464a3e4180274f1cb8c63c2984e286dfb"
          + "ede82deb9dcd9fae0bfbb821569b3d9001bd8130cd11d486cef047bd60b86e88";

  @Test
  void verifySignature_libsignalVector_true() throws Exception {
    ECPublicKey alice = ECPublicKey.fromBytes(HEX.parseHex(ALICE_IDENTITY_PUBLIC));
    assertTrue(
        alice.verifySignature(HEX.parseHex(ALICE_EPHEMERAL_PUBLIC), HEX.parseHex(ALICE_SIGNATURE)));
  }

  @Test
  void publicKey_libsignalVectorPrivateKey_matchesVectorPublicKey() throws Exception {
    ECPrivateKey alice = ECPrivateKey.fromBytes(HEX.parseHex(ALICE_IDENTITY_PRIVATE));
    assertEquals(ALICE_IDENTITY_PUBLIC, HEX.formatHex(alice.publicKey().serialize()));
  }

  @Test
  void verifySignature_libsignalVectorEveryBitFlipped_false() throws Exception {
    ECPublicKey alice = ECPublicKey.fromBytes(HEX.parseHex(ALICE_IDENTITY_PUBLIC));
    byte[] message = HEX.parseHex(ALICE_EPHEMERAL_PUBLIC);
    byte[] signature = HEX.parseHex(ALICE_SIGNATURE);
    for (int bit = 0; bit < signature.length * 8; bit++) {
      byte[] tampered = signature.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(alice.verifySignature(message, tampered), "bit " + bit);
    }
  }

  @Test
  void calculateSignature_randomKeysAndMessages_verify() {
    SecureRandom rng = TestRandom.create("calculateSignature_randomKeysAndMessages_verify");
    int[] signBits = new int[2];
    for (int i = 0; i < ROUND_TRIPS; i++) {
      ECKeyPair pair = ECKeyPair.generate(rng);
      byte[] message = new byte[rng.nextInt(200)];
      rng.nextBytes(message);
      byte[] signature = pair.privateKey().calculateSignature(message, rng);
      assertEquals(64, signature.length);
      assertTrue(pair.publicKey().verifySignature(message, signature), "round trip " + i);
      signBits[(signature[63] >> 7) & 1]++;
    }
    assertTrue(signBits[0] > 0 && signBits[1] > 0, "both sign bits exercised");
  }

  @Test
  void calculateSignature_signatures_acceptedByBouncyCastleEd25519() {
    SecureRandom rng = TestRandom.create("calculateSignature_acceptedByBouncyCastleEd25519");
    for (int i = 0; i < 50; i++) {
      ECKeyPair pair = ECKeyPair.generate(rng);
      byte[] message = new byte[32];
      rng.nextBytes(message);
      byte[] signature = pair.privateKey().calculateSignature(message, rng);
      byte[] edwards = pair.privateKey().edwardsPublicKey();
      assertEquals(edwards[31] & 0x80, signature[63] & 0x80, "sign bit carried in byte 63");
      byte[] standard = signature.clone();
      standard[63] &= 0x7F;
      assertTrue(Ed25519.verify(standard, 0, edwards, 0, message, 0, message.length));
    }
  }

  @Test
  void calculateSignature_sameMessageTwice_differentNonces() {
    SecureRandom rng = TestRandom.create("calculateSignature_sameMessageTwice_differentNonces");
    ECKeyPair pair = ECKeyPair.generate(rng);
    byte[] message = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] first = pair.privateKey().calculateSignature(message, rng);
    byte[] second = pair.privateKey().calculateSignature(message, rng);
    assertFalse(Arrays.equals(first, second));
    assertTrue(pair.publicKey().verifySignature(message, first));
    assertTrue(pair.publicKey().verifySignature(message, second));
  }

  @Test
  void verifySignature_tamperedMessage_false() {
    SecureRandom rng = TestRandom.create("verifySignature_tamperedMessage_false");
    for (int i = 0; i < 20; i++) {
      ECKeyPair pair = ECKeyPair.generate(rng);
      byte[] message = new byte[1 + rng.nextInt(100)];
      rng.nextBytes(message);
      byte[] signature = pair.privateKey().calculateSignature(message, rng);
      byte[] tampered = message.clone();
      tampered[rng.nextInt(tampered.length)] ^= (byte) (1 << rng.nextInt(8));
      assertFalse(pair.publicKey().verifySignature(tampered, signature));
      assertFalse(
          pair.publicKey().verifySignature(Arrays.copyOf(message, message.length + 1), signature));
    }
  }

  @Test
  void verifySignature_tamperedSignatureByte_false() {
    SecureRandom rng = TestRandom.create("verifySignature_tamperedSignatureByte_false");
    ECKeyPair pair = ECKeyPair.generate(rng);
    byte[] message = new byte[48];
    rng.nextBytes(message);
    byte[] signature = pair.privateKey().calculateSignature(message, rng);
    for (int i = 0; i < signature.length; i++) {
      byte[] tampered = signature.clone();
      tampered[i] ^= 0x01;
      assertFalse(pair.publicKey().verifySignature(message, tampered), "byte " + i);
    }
  }

  @Test
  void verifySignature_flippedSignBit_false() {
    SecureRandom rng = TestRandom.create("verifySignature_flippedSignBit_false");
    for (int i = 0; i < 20; i++) {
      ECKeyPair pair = ECKeyPair.generate(rng);
      byte[] message = new byte[16];
      rng.nextBytes(message);
      byte[] signature = pair.privateKey().calculateSignature(message, rng);
      signature[63] ^= (byte) 0x80;
      assertFalse(pair.publicKey().verifySignature(message, signature));
    }
  }

  @Test
  void verifySignature_wrongKey_false() {
    SecureRandom rng = TestRandom.create("verifySignature_wrongKey_false");
    ECKeyPair signer = ECKeyPair.generate(rng);
    ECKeyPair other = ECKeyPair.generate(rng);
    byte[] message = new byte[33];
    rng.nextBytes(message);
    byte[] signature = signer.privateKey().calculateSignature(message, rng);
    assertFalse(other.publicKey().verifySignature(message, signature));
  }

  @Test
  void verifySignature_highScalarBitsSet_false() {
    SecureRandom rng = TestRandom.create("verifySignature_highScalarBitsSet_false");
    ECKeyPair pair = ECKeyPair.generate(rng);
    byte[] message = new byte[8];
    byte[] signature = pair.privateKey().calculateSignature(message, rng);
    for (int bit : new int[] {0x20, 0x40}) {
      byte[] tampered = signature.clone();
      tampered[63] |= (byte) bit;
      assertFalse(pair.publicKey().verifySignature(message, tampered));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 32, 63, 65, 128})
  void verifySignature_wrongLength_false(int length) {
    SecureRandom rng = TestRandom.create("verifySignature_wrongLength_false");
    ECKeyPair pair = ECKeyPair.generate(rng);
    byte[] message = new byte[8];
    byte[] signature = pair.privateKey().calculateSignature(message, rng);
    byte[] resized = Arrays.copyOf(signature, length);
    assertFalse(pair.publicKey().verifySignature(message, resized));
  }

  @Test
  void verifySignature_nullInputs_false() {
    SecureRandom rng = TestRandom.create("verifySignature_nullInputs_false");
    ECKeyPair pair = ECKeyPair.generate(rng);
    byte[] signature = pair.privateKey().calculateSignature(new byte[0], rng);
    assertTrue(pair.publicKey().verifySignature(new byte[0], signature));
    assertFalse(pair.publicKey().verifySignature(null, signature));
    assertFalse(pair.publicKey().verifySignature(new byte[0], null));
  }

  @Test
  void verifySignature_publicKeyNotBelowP_false() throws Exception {
    BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    SecureRandom rng = TestRandom.create("verifySignature_publicKeyNotBelowP_false");
    ECKeyPair pair = ECKeyPair.generate(rng);
    byte[] message = new byte[8];
    byte[] signature = pair.privateKey().calculateSignature(message, rng);
    // u + p names the same point as u, but is not a canonical encoding.
    BigInteger u = Curve25519Points.fromLittleEndian(pair.publicKey().rawBytes(), 0, 32);
    assertTrue(pair.publicKey().verifySignature(message, signature));
    if (u.add(p).bitLength() <= 256) {
      ECPublicKey nonCanonical = ECPublicKey.fromRaw(Curve25519Points.toLittleEndian(u.add(p)));
      assertFalse(nonCanonical.verifySignature(message, signature));
    }
    for (BigInteger bad : new BigInteger[] {p, p.subtract(BigInteger.ONE)}) {
      ECPublicKey key = ECPublicKey.fromRaw(Curve25519Points.toLittleEndian(bad));
      assertFalse(key.verifySignature(message, signature));
    }
  }

  @Test
  void verifySignature_lowOrderPublicKeys_falseWithoutThrowing() throws Exception {
    byte[] message = new byte[8];
    byte[] signature = new byte[64];
    for (String u :
        new String[] {
          "0000000000000000000000000000000000000000000000000000000000000000",
          "0100000000000000000000000000000000000000000000000000000000000000",
          "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        }) {
      ECPublicKey key = ECPublicKey.fromRaw(HEX.parseHex(u));
      assertFalse(key.verifySignature(message, signature));
      signature[63] = (byte) 0x80;
      assertFalse(key.verifySignature(message, signature));
    }
  }
}
