package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Identity changes between Sotto and libsignal: a party re-registers (same name and device id, new
 * identity key). Trust is trust-on-first-use on both peers, so the changed key is refused until the
 * test trusts it explicitly, and a refused operation stores nothing.
 */
class LibsignalIdentityChangeInteropTest extends LibsignalInteropTestBase {

  /**
   * The responder re-registers; the initiator's next bundle and its old session are refused until
   * it trusts.
   */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void reRegistration_newBundleFromChangedIdentity_untrustedUntilTrusted(Direction d) {
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);

    Party newBob = reRegister(bob, "bob-reregistered");
    JsonNode bundle = newBob.bundle(true);
    assertEquals(
        "untrusted_identity",
        alice.processBundleFailure(newBob, bundle),
        "process_bundle with a changed identity key");
    assertTrue(alice.hasSession(bob), "the refused bundle must leave the old session in place");

    alice.trust(newBob);
    assertEquals(
        "untrusted_identity",
        alice.encryptFailure(bob, utf8("to the old session")),
        "encrypt on the old session once a different identity is trusted");
    alice.processBundle(newBob, bundle);
    alice.sendExpectingType(newBob, utf8("hello new bob"), Ciphertext.PREKEY, "first message");
    newBob.sendExpectingType(alice, utf8("hello again"), Ciphertext.WHISPER, "reply");
    alice.sendExpectingType(newBob, utf8("next"), Ciphertext.WHISPER, "after reply");
  }

  /**
   * The initiator re-registers and sends a PreKey message; the responder refuses it, unchanged,
   * until it trusts.
   */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void reRegistration_preKeyMessageFromChangedIdentity_untrustedUntilTrusted_nothingStored(
      Direction d) {
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);

    Party newAlice = reRegister(alice, "alice-reregistered");
    newAlice.startSession(bob, true);
    Ciphertext ct = newAlice.encrypt(bob, utf8("it is me, with a new phone"));
    assertEquals(Ciphertext.PREKEY, ct.type());

    assertEquals("untrusted_identity", bob.decryptFailure(newAlice, ct), "PreKey message");
    assertTrue(bob.hasSession(alice), "the refused message must leave the old session in place");
    assertEquals(
        "untrusted_identity",
        bob.decryptFailure(newAlice, ct),
        "the same message again: still untrusted, not a duplicate (nothing was stored)");

    bob.trust(newAlice);
    bob.decryptAndCheck(newAlice, ct, utf8("it is me, with a new phone"), "after trust");
    bob.sendExpectingType(newAlice, utf8("welcome back"), Ciphertext.WHISPER, "reply");
    newAlice.sendExpectingType(bob, utf8("thanks"), Ciphertext.WHISPER, "after reply");
  }
}
