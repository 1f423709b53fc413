package org.sotto.protocol.kem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;

/**
 * The split encapsulation checked against BouncyCastle's public, standard ML-KEM-768: the same
 * {@code m} must give the same ciphertext and secret, byte for byte.
 */
class IncrementalMlKem768Test {

  private static SecureRandom rng;

  @BeforeAll
  static void seed() throws NoSuchAlgorithmException {
    long seed = Long.getLong("sotto.test.seed", System.nanoTime());
    System.out.println("IncrementalMlKem768Test: -Dsotto.test.seed=" + seed);
    rng = SecureRandom.getInstance("SHA1PRNG");
    rng.setSeed(seed);
  }

  @Test
  void generateKeyPair_partsHaveFips203SizesAndHeaderIsRhoAndHashOfEk() {
    IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
    assertEquals(64, pair.header().length);
    assertEquals(1152, pair.encapsulationKey().length);
    assertEquals(64, pair.decapsulationSeed().length);
    MLKEMPublicKeyParameters standard = publicKeyOf(pair);
    byte[] ek = standard.getEncoded();
    assertEquals(1184, ek.length);
    assertArrayEquals(pair.encapsulationKey(), Arrays.copyOf(ek, 1152));
    assertArrayEquals(Arrays.copyOf(pair.header(), 32), Arrays.copyOfRange(ek, 1152, 1184));
    assertArrayEquals(Arrays.copyOfRange(pair.header(), 32, 64), sha3_256(ek));
  }

  @Test
  void encapsulate1Then2_sameMessage_equalsStandardMlKem768ByteForByte() throws Exception {
    for (int i = 0; i < 20; i++) {
      IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
      byte[] m = new byte[32];
      rng.nextBytes(m);

      IncrementalMlKem768.FirstHalf first = IncrementalMlKem768.encapsulate1(pair.header(), m);
      byte[] ct2 =
          IncrementalMlKem768.encapsulate2(
              pair.header(), pair.encapsulationKey(), first.encapsulationSeed());

      SecretWithEncapsulation standard =
          MLKEMGenerator.internalGenerateEncapsulated(publicKeyOf(pair), m);
      byte[] standardCiphertext = standard.getEncapsulation();
      assertEquals(1088, standardCiphertext.length);
      assertArrayEquals(Arrays.copyOf(standardCiphertext, 960), first.ct1(), "ct1");
      assertArrayEquals(Arrays.copyOfRange(standardCiphertext, 960, 1088), ct2, "ct2");
      assertArrayEquals(standard.getSecret(), first.sharedSecret(), "shared secret");
    }
  }

  @Test
  void decapsulate_splitCiphertext_givesTheEncapsulatorsSecret() throws Exception {
    for (int i = 0; i < 10; i++) {
      IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
      IncrementalMlKem768.FirstHalf first = IncrementalMlKem768.encapsulate1(pair.header(), rng);
      byte[] ct2 =
          IncrementalMlKem768.encapsulate2(
              pair.header(), pair.encapsulationKey(), first.encapsulationSeed());
      byte[] secret = IncrementalMlKem768.decapsulate(pair.decapsulationSeed(), first.ct1(), ct2);
      assertArrayEquals(first.sharedSecret(), secret);
    }
  }

  @Test
  void decapsulate_alteredCt1OrCt2_givesAnotherSecret() throws Exception {
    IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
    IncrementalMlKem768.FirstHalf first = IncrementalMlKem768.encapsulate1(pair.header(), rng);
    byte[] ct2 =
        IncrementalMlKem768.encapsulate2(
            pair.header(), pair.encapsulationKey(), first.encapsulationSeed());
    byte[] ct1 = first.ct1();
    ct1[17] ^= 0x01;
    assertFalse(
        Arrays.equals(
            first.sharedSecret(),
            IncrementalMlKem768.decapsulate(pair.decapsulationSeed(), ct1, ct2)));
    ct2[3] ^= 0x40;
    assertFalse(
        Arrays.equals(
            first.sharedSecret(),
            IncrementalMlKem768.decapsulate(pair.decapsulationSeed(), first.ct1(), ct2)));
  }

  @Test
  void encapsulate2_keyOfAnotherHeader_rejected() throws Exception {
    IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
    IncrementalMlKem768.KeyPair other = IncrementalMlKem768.generateKeyPair(rng);
    IncrementalMlKem768.FirstHalf first = IncrementalMlKem768.encapsulate1(pair.header(), rng);
    InvalidKeyException e =
        assertThrows(
            InvalidKeyException.class,
            () ->
                IncrementalMlKem768.encapsulate2(
                    pair.header(), other.encapsulationKey(), first.encapsulationSeed()));
    assertEquals("the ML-KEM-768 encapsulation key does not match its header", e.getMessage());
  }

  @Test
  void encapsulate2_unreducedKeyMatchingItsHeader_rejectedByModulusCheck() throws Exception {
    IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
    byte[] unreduced = pair.encapsulationKey();
    // 12-bit coefficients: 0xFF 0xFF sets the first coefficient to 4095 >= q = 3329.
    unreduced[0] = (byte) 0xFF;
    unreduced[1] = (byte) 0xFF;
    byte[] ek = new byte[1184];
    System.arraycopy(unreduced, 0, ek, 0, 1152);
    System.arraycopy(pair.header(), 0, ek, 1152, 32);
    byte[] header = new byte[64];
    System.arraycopy(pair.header(), 0, header, 0, 32);
    System.arraycopy(sha3_256(ek), 0, header, 32, 32);
    IncrementalMlKem768.FirstHalf first = IncrementalMlKem768.encapsulate1(header, rng);
    InvalidKeyException e =
        assertThrows(
            InvalidKeyException.class,
            () -> IncrementalMlKem768.encapsulate2(header, unreduced, first.encapsulationSeed()));
    assertEquals("the ML-KEM-768 encapsulation key is not reduced modulo q", e.getMessage());
  }

  @Test
  void wrongLengths_typedErrors() {
    IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
    assertThrows(
        InvalidKeyException.class, () -> IncrementalMlKem768.encapsulate1(new byte[63], rng));
    assertThrows(
        InvalidKeyException.class,
        () -> IncrementalMlKem768.encapsulate2(pair.header(), new byte[1151], new byte[32]));
    assertThrows(
        InvalidKeyException.class,
        () -> IncrementalMlKem768.encapsulate2(pair.header(), pair.encapsulationKey(), null));
    assertThrows(
        InvalidMessageException.class,
        () ->
            IncrementalMlKem768.decapsulate(
                pair.decapsulationSeed(), new byte[959], new byte[128]));
    assertThrows(
        InvalidMessageException.class,
        () ->
            IncrementalMlKem768.decapsulate(
                pair.decapsulationSeed(), new byte[960], new byte[129]));
    assertThrows(
        InvalidKeyException.class,
        () -> IncrementalMlKem768.decapsulate(new byte[2400], new byte[960], new byte[128]));
  }

  @Test
  void records_wrongLengths_rejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new IncrementalMlKem768.KeyPair(new byte[63], new byte[1152], new byte[64]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new IncrementalMlKem768.KeyPair(new byte[64], new byte[1152], new byte[2400]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new IncrementalMlKem768.FirstHalf(new byte[960], new byte[31], new byte[32]));
    assertThrows(
        NullPointerException.class,
        () -> new IncrementalMlKem768.FirstHalf(null, new byte[32], new byte[32]));
  }

  @Test
  void toString_omitsSecrets() throws Exception {
    IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
    IncrementalMlKem768.FirstHalf first = IncrementalMlKem768.encapsulate1(pair.header(), rng);
    assertEquals(
        "IncrementalMlKem768.KeyPair[header, encapsulationKey, decapsulationSeed=<secret>]",
        pair.toString());
    assertEquals(
        "IncrementalMlKem768.FirstHalf[ct1, sharedSecret=<secret>, encapsulationSeed=<secret>]",
        first.toString());
  }

  private static MLKEMPublicKeyParameters publicKeyOf(IncrementalMlKem768.KeyPair pair) {
    MLKEMPrivateKeyParameters privateKey =
        new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, pair.decapsulationSeed());
    return privateKey.getPublicKeyParameters();
  }

  private static byte[] sha3_256(byte[] input) {
    SHA3Digest sha3 = new SHA3Digest(256);
    sha3.update(input, 0, input.length);
    byte[] out = new byte[32];
    sha3.doFinal(out, 0);
    return out;
  }
}
