package org.sotto.protocol.kem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;

class Kyber1024Test {

  private static SecureRandom rng;
  private static KEMKeyPair pair;

  @BeforeAll
  static void generatePair() throws NoSuchAlgorithmException {
    long seed = Long.getLong("sotto.test.seed", System.nanoTime());
    System.out.println("Kyber1024Test: -Dsotto.test.seed=" + seed);
    rng = SecureRandom.getInstance("SHA1PRNG");
    rng.setSeed(seed);
    pair = KEMKeyPair.generate(rng);
  }

  @Test
  void generate_anyRng_serializedSizesAndTypeBytes() {
    byte[] publicKey = pair.publicKey().serialize();
    byte[] secretKey = pair.secretKey().serialize();
    assertEquals(1569, publicKey.length);
    assertEquals(3169, secretKey.length);
    assertEquals(0x08, publicKey[0]);
    assertEquals(0x08, secretKey[0]);
    // Expanded form: the public key sits inside the secret key after dk_pke.
    assertArrayEquals(
        Arrays.copyOfRange(publicKey, 1, 1569), Arrays.copyOfRange(secretKey, 1 + 1536, 1 + 3104));
  }

  @Test
  void encapsulate_thenDecapsulate_sameSecret() throws Exception {
    for (int i = 0; i < 10; i++) {
      Encapsulation encapsulation = Kyber1024.encapsulate(pair.publicKey(), rng);
      assertEquals(1569, encapsulation.ciphertext().length);
      assertEquals(0x08, encapsulation.ciphertext()[0]);
      assertEquals(32, encapsulation.sharedSecret().length);
      assertArrayEquals(
          encapsulation.sharedSecret(), pair.secretKey().decapsulate(encapsulation.ciphertext()));
    }
  }

  @Test
  void encapsulate_twice_differentCiphertextsAndSecrets() {
    Encapsulation first = Kyber1024.encapsulate(pair.publicKey(), rng);
    Encapsulation second = Kyber1024.encapsulate(pair.publicKey(), rng);
    assertFalse(Arrays.equals(first.ciphertext(), second.ciphertext()));
    assertFalse(Arrays.equals(first.sharedSecret(), second.sharedSecret()));
  }

  @Test
  void serializeThenFromBytes_bothKeys_stillInteroperate() throws Exception {
    KEMPublicKey publicKey = KEMPublicKey.fromBytes(pair.publicKey().serialize());
    KEMSecretKey secretKey = KEMSecretKey.fromBytes(pair.secretKey().serialize());
    assertEquals(pair.publicKey(), publicKey);
    assertEquals(pair.publicKey().hashCode(), publicKey.hashCode());
    assertArrayEquals(pair.secretKey().serialize(), secretKey.serialize());
    Encapsulation encapsulation = Kyber1024.encapsulate(publicKey, rng);
    assertArrayEquals(
        encapsulation.sharedSecret(), secretKey.decapsulate(encapsulation.ciphertext()));
    assertArrayEquals(
        encapsulation.sharedSecret(), pair.secretKey().decapsulate(encapsulation.ciphertext()));
  }

  @Test
  void decapsulate_secretEqualsRoundThreeKdfOfBouncyCastleMlKem() throws Exception {
    Encapsulation encapsulation = Kyber1024.encapsulate(pair.publicKey(), rng);
    byte[] rawCiphertext = Arrays.copyOfRange(encapsulation.ciphertext(), 1, 1569);
    MLKEMPrivateKeyParameters bcKey =
        new MLKEMPrivateKeyParameters(
            MLKEMParameters.ml_kem_1024, Arrays.copyOfRange(pair.secretKey().serialize(), 1, 3169));
    byte[] mlkemSecret = new MLKEMExtractor(bcKey).extractSecret(rawCiphertext);

    SHA3Digest sha3 = new SHA3Digest(256);
    sha3.update(rawCiphertext, 0, rawCiphertext.length);
    byte[] ciphertextHash = new byte[32];
    sha3.doFinal(ciphertextHash, 0);
    SHAKEDigest shake = new SHAKEDigest(256);
    shake.update(mlkemSecret, 0, 32);
    shake.update(ciphertextHash, 0, 32);
    byte[] expected = new byte[32];
    shake.doFinal(expected, 0, 32);

    assertArrayEquals(expected, encapsulation.sharedSecret());
    assertFalse(Arrays.equals(mlkemSecret, expected), "the post-KDF was applied");
  }

  @Test
  void roundThreeSecret_fixedInputs_matchesKnownAnswer() {
    // SHAKE256(0x00..0x1f ‖ SHA3-256(1568 × 0x00), 32), computed independently of this class.
    byte[] mlkemSecret = new byte[32];
    for (int i = 0; i < 32; i++) {
      mlkemSecret[i] = (byte) i;
    }
    byte[] secret = Kyber1024.roundThreeSecret(mlkemSecret, new byte[1568]);
    assertEquals(KNOWN_ROUND_THREE_SECRET, HexFormat.of().formatHex(secret));
  }

  /** Filled in from an independent computation (Python hashlib); see the test above. */
  private static final String KNOWN_ROUND_THREE_SECRET =
      "7cba78f94f5eab87b898c93f6f22d483734ec2b90337eed38b573cf1b50f06eb";

  @Test
  void decapsulate_tamperedCiphertext_differentSecretWithoutException() throws Exception {
    Encapsulation encapsulation = Kyber1024.encapsulate(pair.publicKey(), rng);
    for (int index : new int[] {1, 700, 1568}) {
      byte[] tampered = encapsulation.ciphertext();
      tampered[index] ^= 0x01;
      byte[] secret = pair.secretKey().decapsulate(tampered);
      assertEquals(32, secret.length);
      assertFalse(Arrays.equals(encapsulation.sharedSecret(), secret), "index " + index);
    }
  }

  @Test
  void decapsulate_otherKeyPair_differentSecret() throws Exception {
    KEMKeyPair other = KEMKeyPair.generate(rng);
    Encapsulation encapsulation = Kyber1024.encapsulate(pair.publicKey(), rng);
    assertFalse(
        Arrays.equals(
            encapsulation.sharedSecret(),
            other.secretKey().decapsulate(encapsulation.ciphertext())));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1568, 1570})
  void decapsulate_wrongLength_throws(int length) {
    byte[] ciphertext = new byte[length];
    if (length > 0) {
      ciphertext[0] = 0x08;
    }
    assertThrows(InvalidMessageException.class, () -> pair.secretKey().decapsulate(ciphertext));
  }

  @Test
  void decapsulate_wrongTypeByte_throws() {
    byte[] ciphertext = Kyber1024.encapsulate(pair.publicKey(), rng).ciphertext();
    ciphertext[0] = 0x07;
    assertThrows(InvalidMessageException.class, () -> pair.secretKey().decapsulate(ciphertext));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1568, 1570})
  void publicKeyFromBytes_wrongLength_throws(int length) {
    byte[] serialized = new byte[length];
    if (length > 0) {
      serialized[0] = 0x08;
    }
    assertThrows(InvalidKeyException.class, () -> KEMPublicKey.fromBytes(serialized));
  }

  @Test
  void publicKeyFromBytes_wrongTypeByte_throws() {
    byte[] serialized = pair.publicKey().serialize();
    serialized[0] = 0x05;
    assertThrows(InvalidKeyException.class, () -> KEMPublicKey.fromBytes(serialized));
  }

  @Test
  void publicKeyFromBytes_unreducedCoefficient_throws() {
    byte[] serialized = pair.publicKey().serialize();
    // First coefficient := 0xFFF ≥ q = 3329.
    serialized[1] = (byte) 0xFF;
    serialized[2] |= 0x0F;
    assertThrows(InvalidKeyException.class, () -> KEMPublicKey.fromBytes(serialized));
    // q itself is out of range too; q − 1 is fine.
    serialized[1] = (byte) (3329 & 0xFF);
    serialized[2] = (byte) ((serialized[2] & 0xF0) | (3329 >> 8));
    assertThrows(InvalidKeyException.class, () -> KEMPublicKey.fromBytes(serialized));
    serialized[1] = (byte) (3328 & 0xFF);
    assertDoesNotThrowInvalidKey(serialized);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3168, 3170})
  void secretKeyFromBytes_wrongLength_throws(int length) {
    byte[] serialized = new byte[length];
    if (length > 0) {
      serialized[0] = 0x08;
    }
    assertThrows(InvalidKeyException.class, () -> KEMSecretKey.fromBytes(serialized));
  }

  @Test
  void secretKeyFromBytes_wrongTypeByte_throws() {
    byte[] serialized = pair.secretKey().serialize();
    serialized[0] = 0x05;
    assertThrows(InvalidKeyException.class, () -> KEMSecretKey.fromBytes(serialized));
  }

  @Test
  void secretKeyFromBytes_corruptedPublicKeyHash_throws() {
    byte[] serialized = pair.secretKey().serialize();
    serialized[1 + 3104] ^= 0x01; // first byte of H(ek)
    assertThrows(InvalidKeyException.class, () -> KEMSecretKey.fromBytes(serialized));
  }

  @Test
  void keyPair_mismatchedKeys_throws() {
    KEMKeyPair other = KEMKeyPair.generate(rng);
    assertThrows(
        IllegalArgumentException.class, () -> new KEMKeyPair(other.publicKey(), pair.secretKey()));
  }

  @Test
  void toString_secretKeyKeyPairAndEncapsulation_containNoSecretBytes() {
    Encapsulation encapsulation = Kyber1024.encapsulate(pair.publicKey(), rng);
    byte[] secretKey = pair.secretKey().serialize();
    // The secret part of the expanded key: dk_pke and z (ek and H(ek) are public).
    byte[] secretPart =
        concat(
            Arrays.copyOfRange(secretKey, 1, 1 + 1536), Arrays.copyOfRange(secretKey, 3137, 3169));
    assertEquals("KEMSecretKey[redacted]", pair.secretKey().toString());
    assertNoHexWindow(pair.secretKey().toString(), secretPart);
    assertNoHexWindow(pair.toString(), secretPart);
    assertTrue(pair.toString().contains(pair.publicKey().toString()));
    assertNoHexWindow(encapsulation.toString(), encapsulation.sharedSecret());
    assertTrue(encapsulation.toString().contains("redacted"));
  }

  @Test
  void encapsulation_accessors_returnDefensiveCopies() {
    Encapsulation encapsulation = Kyber1024.encapsulate(pair.publicKey(), rng);
    byte[] secret = encapsulation.sharedSecret();
    secret[0] ^= 1;
    assertFalse(Arrays.equals(secret, encapsulation.sharedSecret()));
    byte[] ciphertext = encapsulation.ciphertext();
    ciphertext[5] ^= 1;
    assertFalse(Arrays.equals(ciphertext, encapsulation.ciphertext()));
    assertEquals(
        encapsulation, new Encapsulation(encapsulation.ciphertext(), encapsulation.sharedSecret()));
  }

  @Test
  void encapsulation_wrongLengths_throw() {
    assertThrows(
        IllegalArgumentException.class, () -> new Encapsulation(new byte[1568], new byte[32]));
    assertThrows(
        IllegalArgumentException.class, () -> new Encapsulation(new byte[1569], new byte[31]));
  }

  private static void assertDoesNotThrowInvalidKey(byte[] serialized) {
    try {
      KEMPublicKey.fromBytes(serialized);
    } catch (InvalidKeyException e) {
      throw new AssertionError("coefficient q − 1 must be accepted", e);
    }
  }

  private static void assertNoHexWindow(String text, byte[] secret) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i + 4 <= secret.length; i++) {
      String window = HexFormat.of().formatHex(secret, i, i + 4);
      assertFalse(lower.contains(window), "toString leaks secret bytes at " + i + ": " + text);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
