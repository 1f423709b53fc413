package org.sotto.protocol.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.ecc.ECKeyPair;

class VerifiedSignaturesTest {
  private final SecureRandom rng = new SecureRandom();
  private final ECKeyPair signer = ECKeyPair.generate(rng);
  private final byte[] message = "certificate".getBytes(StandardCharsets.UTF_8);
  private final byte[] signature = signer.privateKey().calculateSignature(message, rng);

  @BeforeEach
  void forget() {
    VerifiedSignatures.clear();
  }

  @Test
  void verify_validSignature_isRememberedOnceAndAnsweredFromMemory() {
    assertTrue(VerifiedSignatures.verify(signer.publicKey(), message, signature));
    assertEquals(1, VerifiedSignatures.size());
    assertTrue(
        VerifiedSignatures.contains(
            VerifiedSignatures.key(signer.publicKey().serialize(), message, signature)));
    assertTrue(VerifiedSignatures.verify(signer.publicKey(), message, signature));
    assertEquals(1, VerifiedSignatures.size());
  }

  @Test
  void verify_rememberedBytes_areAnsweredWithoutTheCheck() {
    byte[] bogus = new byte[64];
    // Never valid; once its exact bytes are remembered, the memo alone answers.
    assertFalse(VerifiedSignatures.verify(signer.publicKey(), message, bogus));
    VerifiedSignatures.add(VerifiedSignatures.key(signer.publicKey().serialize(), message, bogus));
    assertTrue(VerifiedSignatures.verify(signer.publicKey(), message, bogus));
  }

  @Test
  void verify_invalidSignature_isNeverRemembered() {
    byte[] forged = signature.clone();
    forged[5] ^= 1;
    for (int i = 0; i < 3; i++) {
      assertFalse(VerifiedSignatures.verify(signer.publicKey(), message, forged));
    }
    assertEquals(0, VerifiedSignatures.size());
  }

  @Test
  void verify_afterARememberedSuccess_otherKeyMessageOrSignatureAreStillChecked() {
    assertTrue(VerifiedSignatures.verify(signer.publicKey(), message, signature));
    byte[] otherMessage = "certificatf".getBytes(StandardCharsets.UTF_8);
    byte[] otherSignature = signature.clone();
    otherSignature[0] ^= 1;

    assertFalse(VerifiedSignatures.verify(ECKeyPair.generate(rng).publicKey(), message, signature));
    assertFalse(VerifiedSignatures.verify(signer.publicKey(), otherMessage, signature));
    assertFalse(VerifiedSignatures.verify(signer.publicKey(), message, otherSignature));
    assertFalse(VerifiedSignatures.verify(signer.publicKey(), null, signature));
    assertFalse(VerifiedSignatures.verify(signer.publicKey(), message, null));
    assertEquals(1, VerifiedSignatures.size());
  }

  @Test
  void key_lengthPrefixed_movingBytesBetweenPartsChangesIt() {
    byte[] a = {1, 2};
    byte[] b = {3};
    assertFalse(
        VerifiedSignatures.key(a, b, new byte[0])
            .equals(VerifiedSignatures.key(new byte[] {1}, new byte[] {2, 3}, new byte[0])));
  }

  @Test
  void add_beyondCapacity_keepsTheMostRecentOnly() {
    for (int i = 0; i < VerifiedSignatures.CAPACITY + 10; i++) {
      VerifiedSignatures.add(
          VerifiedSignatures.key(new byte[] {(byte) i, (byte) (i >> 8)}, message, signature));
    }
    assertEquals(VerifiedSignatures.CAPACITY, VerifiedSignatures.size());
    assertFalse(
        VerifiedSignatures.contains(VerifiedSignatures.key(new byte[] {0, 0}, message, signature)));
    int last = VerifiedSignatures.CAPACITY + 9;
    assertTrue(
        VerifiedSignatures.contains(
            VerifiedSignatures.key(
                new byte[] {(byte) last, (byte) (last >> 8)}, message, signature)));
  }
}
