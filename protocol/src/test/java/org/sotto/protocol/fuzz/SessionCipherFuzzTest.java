package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * Bob, with an established session with Alice ({@link FuzzFixture}), decrypts fuzzed bytes. Only
 * {@link ProtocolException} subclasses may escape; a failure leaves Bob's session, trust and
 * prekeys as they were; a success is possible only for a message Alice really sent and not yet
 * delivered, and yields its plaintext. Each input gets a fresh copy of Bob's store.
 */
class SessionCipherFuzzTest {
  private static final long BOB_RANDOM_SEED = 2;

  @FuzzTest
  void decryptSignalMessage_anyBytes_yieldsGenuinePlaintextOrFailsTypedWithoutStateChange(
      byte[] input) {
    FuzzFixture fixture = FuzzFixture.get();
    InMemorySignalProtocolStore bob = fixture.newBobStore();
    SessionCipher cipher = new SessionCipher(bob, FuzzFixture.BOB, FuzzFixture.ALICE);
    byte[] plaintext;
    try {
      plaintext = cipher.decrypt(SignalMessage.fromBytes(input), TestParty.NOW, random());
    } catch (ProtocolException e) {
      assertBobUnchanged(fixture, bob);
      return;
    }
    assertGenuine(fixture, input, plaintext);
  }

  @FuzzTest
  void decryptPreKeySignalMessage_anyBytes_yieldsGenuinePlaintextOrFailsTypedWithoutStateChange(
      byte[] input) throws Exception {
    FuzzFixture fixture = FuzzFixture.get();
    InMemorySignalProtocolStore bob = fixture.newBobStore();
    SessionCipher cipher = new SessionCipher(bob, FuzzFixture.BOB, FuzzFixture.ALICE);
    byte[] plaintext;
    PreKeySignalMessage message;
    try {
      message = PreKeySignalMessage.fromBytes(input);
      plaintext = cipher.decrypt(message, TestParty.NOW, random());
    } catch (ProtocolException e) {
      assertBobUnchanged(fixture, bob);
      return;
    }
    // The prekey wrapper has no MAC of its own (as in libsignal), but the message inside does.
    assertGenuine(fixture, message.message().serialize(), plaintext);
  }

  private static void assertGenuine(FuzzFixture fixture, byte[] inner, byte[] plaintext) {
    FuzzFixture.Sent genuine = fixture.sentWithInner(inner);
    assertNotNull(genuine, "decrypted a message Alice never sent");
    assertFalse(genuine.delivered(), "decrypted " + genuine.name() + " a second time");
    assertArrayEquals(genuine.plaintext(), plaintext, genuine.name());
  }

  private static void assertBobUnchanged(FuzzFixture fixture, InMemorySignalProtocolStore bob) {
    assertArrayEquals(
        fixture.bobSessionBytes(),
        bob.loadSession(FuzzFixture.ALICE).serialize(),
        "session changed by a failed decrypt");
    assertEquals(
        fixture.aliceIdentityKey(),
        bob.getIdentity(FuzzFixture.ALICE),
        "trusted identity changed by a failed decrypt");
    for (PreKeyRecord preKey : fixture.bobPreKeys()) {
      assertTrue(bob.containsPreKey(preKey.id()), "one-time prekey consumed by a failed decrypt");
    }
    fixture
        .bobKyberPreKeys()
        .forEach(
            k ->
                assertTrue(
                    bob.containsKyberPreKey(k.id()), "Kyber prekey consumed by a failed decrypt"));
  }

  /**
   * Bob's randomness only picks his next ratchet key; fixed so that every run of an input is the
   * same.
   */
  private static SecureRandom random() {
    return FuzzFixture.seededRandom(BOB_RANDOM_SEED);
  }
}
