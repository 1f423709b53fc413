package org.sotto.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.TestParty;

class MessageParsingTest {
  private final SecureRandom rng = new SecureRandom();

  @Test
  void signalMessage_tooShortOrWrongVersion_throwsInvalidMessage() {
    assertThrows(InvalidMessageException.class, () -> SignalMessage.fromBytes(new byte[0]));
    assertThrows(InvalidMessageException.class, () -> SignalMessage.fromBytes(new byte[8]));
    byte[] legacy = new byte[20];
    legacy[0] = 0x22;
    assertThrows(InvalidMessageException.class, () -> SignalMessage.fromBytes(legacy));
    byte[] future = new byte[20];
    future[0] = 0x55;
    assertThrows(InvalidMessageException.class, () -> SignalMessage.fromBytes(future));
    assertThrows(InvalidMessageException.class, () -> SignalMessage.fromBytes(null));
  }

  @Test
  void preKeyMessage_roundTrip_keepsEveryField() throws Exception {
    TestParty alice = new TestParty(rng);
    TestParty bob = new TestParty(rng);
    alice.startSessionWith(bob, true);
    PreKeySignalMessage m = (PreKeySignalMessage) alice.encrypt(bob, "x".repeat(100));
    PreKeySignalMessage parsed = PreKeySignalMessage.fromBytes(m.serialize());
    assertEquals(m, parsed);
    assertEquals(1, parsed.preKeyId().getAsInt());
    assertEquals(1, parsed.signedPreKeyId());
    assertEquals(1, parsed.kyberPreKeyId());
    assertEquals(1569, parsed.kyberCiphertext().length);
    assertEquals(alice.identity.identityKey(), parsed.identityKey());
    assertEquals(alice.store.getLocalRegistrationId(), parsed.registrationId());
  }

  @Test
  void preKeyMessage_truncatedOrMissingKyber_throwsInvalidMessage() throws Exception {
    TestParty alice = new TestParty(rng);
    TestParty bob = new TestParty(rng);
    alice.startSessionWith(bob, false);
    byte[] bytes = alice.encrypt(bob, "hi").serialize();
    for (int cut : new int[] {1, 10, bytes.length / 2, bytes.length - 1}) {
      byte[] truncated = Arrays.copyOf(bytes, cut);
      assertThrows(InvalidMessageException.class, () -> PreKeySignalMessage.fromBytes(truncated));
    }
    byte[] v3 = bytes.clone();
    v3[0] = 0x33;
    assertThrows(InvalidMessageException.class, () -> PreKeySignalMessage.fromBytes(v3));
  }
}
