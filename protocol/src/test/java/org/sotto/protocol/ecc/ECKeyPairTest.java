package org.sotto.protocol.ecc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ECKeyPairTest {

  @Test
  void generate_anyRng_privateKeyClampedAndPublicKeyMatching() {
    SecureRandom rng = TestRandom.create("generate_anyRng_privateKeyClampedAndPublicKeyMatching");
    for (int i = 0; i < 50; i++) {
      ECKeyPair pair = ECKeyPair.generate(rng);
      byte[] raw = pair.privateKey().serialize();
      assertEquals(0, raw[0] & 0x07, "low three bits cleared");
      assertEquals(0x40, raw[31] & 0xC0, "bit 255 clear, bit 254 set");
      assertEquals(pair.privateKey().publicKey(), pair.publicKey());
      assertTrue(pair.publicKey().isCanonical());
    }
  }

  @Test
  void checked_publicKeyOfAnotherPair_throwsInvalidKey() throws Exception {
    SecureRandom rng = TestRandom.create("checked_publicKeyOfAnotherPair_throwsInvalidKey");
    ECKeyPair a = ECKeyPair.generate(rng);
    ECKeyPair b = ECKeyPair.generate(rng);
    assertThrows(
        org.sotto.protocol.InvalidKeyException.class,
        () -> ECKeyPair.checked(a.publicKey(), b.privateKey()));
    assertEquals(a, ECKeyPair.checked(a.publicKey(), a.privateKey()));
  }

  @Test
  void toString_generatedPair_showsPublicPrefixButNoPrivateBytes() {
    ECKeyPair pair = ECKeyPair.generate(TestRandom.create("toString"));
    String s = pair.toString();
    assertTrue(s.contains(pair.publicKey().toString()), s);
    ECPrivateKeyTest.assertNoHexWindow(s, pair.privateKey().serialize());
  }
}
