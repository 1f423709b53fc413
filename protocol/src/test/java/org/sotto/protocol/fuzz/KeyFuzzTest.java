package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kem.Encapsulation;
import org.sotto.protocol.kem.KEMPublicKey;
import org.sotto.protocol.kem.Kyber1024;

/**
 * The key parsers a {@code PreKeyBundle} and an identity store feed with outside bytes, and XEdDSA
 * verification with an outside key and signature. Parsers accept or throw {@link
 * InvalidKeyException}; an accepted key serializes back to its input and can be used.
 */
class KeyFuzzTest {
  private static final long RANDOM_SEED = 3;
  private static final byte[] SIGNED_MESSAGE = "fuzz".getBytes(StandardCharsets.US_ASCII);

  @FuzzTest
  void ecPublicKeyFromBytes_anyBytes_roundTripsOrThrowsInvalidKey(byte[] input) {
    ECPublicKey key;
    try {
      key = ECPublicKey.fromBytes(input);
    } catch (InvalidKeyException e) {
      return;
    }
    assertArrayEquals(input, key.serialize());
    assertArrayEquals(Arrays.copyOfRange(input, 1, input.length), key.rawBytes());
    assertEquals(key, parseAt(input, 0));
    // The offset form reads the same key out of a longer buffer.
    byte[] padded = new byte[input.length + 2];
    System.arraycopy(input, 0, padded, 2, input.length);
    assertEquals(key, parseAt(padded, 2));
    key.isCanonical(); // must answer for any accepted key, canonical or not
  }

  @FuzzTest
  void identityKeyFromBytes_anyBytes_roundTripsOrThrowsInvalidKey(byte[] input) {
    IdentityKey key;
    try {
      key = IdentityKey.fromBytes(input);
    } catch (InvalidKeyException e) {
      return;
    }
    assertArrayEquals(input, key.serialize());
    assertArrayEquals(input, key.publicKey().serialize());
  }

  @FuzzTest
  void kemPublicKeyFromBytes_anyBytes_yieldsUsableKeyOrThrowsInvalidKey(byte[] input) {
    KEMPublicKey key;
    try {
      key = KEMPublicKey.fromBytes(input);
    } catch (InvalidKeyException e) {
      return;
    }
    assertArrayEquals(input, key.serialize());
    // What we accept from a bundle we must be able to encapsulate to.
    Encapsulation encapsulation = Kyber1024.encapsulate(key, FuzzFixture.seededRandom(RANDOM_SEED));
    assertEquals(Kyber1024.SERIALIZED_CIPHERTEXT_LENGTH, encapsulation.ciphertext().length);
    assertEquals(Kyber1024.SHARED_SECRET_LENGTH, encapsulation.sharedSecret().length);
  }

  /**
   * Input layout: {@code signatureLength(1) ‖ u(32) ‖ signature ‖ message}; short inputs are
   * zero-padded, so every input is tried. A signature that verifies under a canonical key must not
   * verify for another message.
   */
  @FuzzTest
  void verifySignature_anyKeyMessageAndSignature_answersWithoutThrowing(byte[] input) {
    int signatureLength = input.length == 0 ? 0 : input[0] & 0xFF;
    byte[] u = slice(input, 1, ECPublicKey.KEY_LENGTH);
    int signatureStart = 1 + ECPublicKey.KEY_LENGTH;
    byte[] signature = slice(input, signatureStart, signatureLength);
    int messageStart = Math.min(input.length, signatureStart + signatureLength);
    byte[] message = Arrays.copyOfRange(input, messageStart, input.length);
    ECPublicKey key;
    try {
      key = ECPublicKey.fromRaw(u);
    } catch (InvalidKeyException e) {
      throw new AssertionError("any 32 bytes are a public key, as in libsignal", e);
    }
    // Only for keys in the prime-order group: a small-order key makes h·A repeat, so any XEdDSA
    // (and Ed25519)
    // signature under it verifies for many messages; libsignal does not reject such keys either.
    if (key.verifySignature(message, signature) && key.isCanonical()) {
      byte[] other = Arrays.copyOf(message, message.length + 1);
      assertFalse(key.verifySignature(other, signature), "one signature verified two messages");
    }
  }

  @FuzzTest
  void identityKeyPairFromBytes_anyBytes_yieldsWorkingPairOrThrowsInvalidKey(byte[] input) {
    IdentityKeyPair pair;
    try {
      pair = IdentityKeyPair.fromBytes(input);
    } catch (InvalidKeyException e) {
      return;
    }
    assertArrayEquals(input, pair.serialize());
    assertEquals(pair.identityKey().publicKey(), pair.privateKey().publicKey());
    byte[] signature = pair.sign(SIGNED_MESSAGE, FuzzFixture.seededRandom(RANDOM_SEED));
    assertTrue(
        pair.identityKey().publicKey().verifySignature(SIGNED_MESSAGE, signature),
        "an accepted identity key pair makes signatures that do not verify");
  }

  private static ECPublicKey parseAt(byte[] buf, int offset) {
    try {
      return ECPublicKey.fromBytes(buf, offset);
    } catch (InvalidKeyException e) {
      throw new AssertionError("the offset parser rejects what the plain one accepts", e);
    }
  }

  /** {@code length} bytes from {@code from}, zero-padded where the input ends. */
  private static byte[] slice(byte[] input, int from, int length) {
    byte[] out = new byte[length];
    if (from < input.length) {
      System.arraycopy(input, from, out, 0, Math.min(length, input.length - from));
    }
    return out;
  }
}
