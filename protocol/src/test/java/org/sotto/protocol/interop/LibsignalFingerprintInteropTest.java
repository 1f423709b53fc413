package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.fingerprint.Fingerprint;
import org.sotto.protocol.fingerprint.NumericFingerprintGenerator;

/**
 * Safety numbers between Sotto and libsignal: the {@code fingerprint} op (version 2, 5,200
 * iterations, UUID identifiers) on both peers, and Sotto's {@link NumericFingerprintGenerator} in
 * this JVM on the same public keys. The {@link Direction} says which implementation holds Alice
 * (the initiator); Bob is on the other one.
 *
 * <p>The peer protocol has no op for comparing a scanned code, so libsignal's own comparison of a
 * Sotto code is covered only through byte equality: Sotto's code for a side is libsignal's code for
 * that side.
 */
final class LibsignalFingerprintInteropTest extends LibsignalInteropTestBase {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final NumericFingerprintGenerator SOTTO =
      new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS);
  private static final String SIXTY_DIGITS = "[0-9]{60}";

  private final AtomicInteger labels = new AtomicInteger();

  /** One identity on one peer, as {@code create_identity} returned it. */
  private record Identity(PeerProcess process, String who, String name, byte[] identityKey) {
    ObjectNode address() {
      return MAPPER.createObjectNode().put("name", name).put("deviceId", 1);
    }

    /** This identity's safety number with {@code peer}, computed by its own peer process. */
    SafetyNumber fingerprintWith(Identity peer) {
      JsonNode r =
          process.ok(
              "fingerprint",
              "who",
              who,
              "peer",
              peer.address(),
              "peerIdentityKey",
              peer.identityKey);
      return new SafetyNumber(
          r.path("displayable").asText(), Base64.getDecoder().decode(r.path("scannable").asText()));
    }

    IdentityKey key() throws Exception {
      return IdentityKey.fromBytes(identityKey);
    }

    @Override
    public String toString() {
      return who + "@" + process.label();
    }
  }

  /** One {@code fingerprint} reply. */
  private record SafetyNumber(String displayable, byte[] scannable) {}

  @ParameterizedTest
  @EnumSource(Direction.class)
  void fingerprint_eachSideOnItsOwnImplementation_sameSixtyDigits(Direction d) {
    Identity alice = identity(initiator(d), "alice");
    Identity bob = identity(responder(d), "bob");

    SafetyNumber aliceView = alice.fingerprintWith(bob);
    SafetyNumber bobView = bob.fingerprintWith(alice);

    assertTrue(aliceView.displayable().matches(SIXTY_DIGITS), aliceView.displayable());
    assertTrue(bobView.displayable().matches(SIXTY_DIGITS), bobView.displayable());
    assertEquals(aliceView.displayable(), bobView.displayable(), "Alice's and Bob's numbers");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void fingerprint_sameSide_sottoEqualsLibsignalByteForByte(Direction d) throws Exception {
    Identity alice = identity(initiator(d), "alice");
    Identity bob = identity(responder(d), "bob");
    Identity onLibsignal = alice.process() == libsignal ? alice : bob;
    Identity onSotto = onLibsignal == alice ? bob : alice;

    SafetyNumber fromLibsignal = onLibsignal.fingerprintWith(onSotto);
    Fingerprint fromSotto = sottoView(onLibsignal, onSotto);

    assertEquals(
        fromLibsignal.displayable(),
        fromSotto.displayable().getDisplayText(),
        onLibsignal + "'s number");
    assertArrayEquals(
        fromLibsignal.scannable(), fromSotto.scannable().serialize(), onLibsignal + "'s code");
    // And the Sotto peer's op answers what the library computes.
    SafetyNumber fromSottoPeer = onSotto.fingerprintWith(onLibsignal);
    Fingerprint sottoSide = sottoView(onSotto, onLibsignal);
    assertEquals(sottoSide.displayable().getDisplayText(), fromSottoPeer.displayable());
    assertArrayEquals(sottoSide.scannable().serialize(), fromSottoPeer.scannable());
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void scannable_otherSidesCodeFromOtherImplementation_comparesEqual(Direction d) throws Exception {
    Identity alice = identity(initiator(d), "alice");
    Identity bob = identity(responder(d), "bob");
    Identity onLibsignal = alice.process() == libsignal ? alice : bob;
    Identity onSotto = onLibsignal == alice ? bob : alice;
    Fingerprint sottoSide = sottoView(onSotto, onLibsignal);

    byte[] libsignalCode = onLibsignal.fingerprintWith(onSotto).scannable();
    byte[] sottoPeerCode = onSotto.fingerprintWith(onLibsignal).scannable();

    assertTrue(
        sottoSide.scannable().compareTo(libsignalCode),
        onSotto + " scans " + onLibsignal + "'s code from libsignal");
    assertFalse(
        sottoSide.scannable().compareTo(sottoPeerCode),
        onSotto + " scans its own code back: no match");
    // The two codes are mirror images: each one's first digest is the other's second.
    assertArrayEquals(sub(libsignalCode, 6, 38), sub(sottoPeerCode, 42, 74));
    assertArrayEquals(sub(libsignalCode, 42, 74), sub(sottoPeerCode, 6, 38));
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void fingerprint_responderChangesIdentity_numberChangesAndOldCodeFails(Direction d)
      throws Exception {
    Identity alice = identity(initiator(d), "alice");
    Identity bob = identity(responder(d), "bob");
    Identity newBob = reRegister(bob);

    SafetyNumber before = alice.fingerprintWith(bob);
    SafetyNumber after = alice.fingerprintWith(newBob);
    SafetyNumber newBobView = newBob.fingerprintWith(alice);

    assertNotEquals(before.displayable(), after.displayable(), "number after Bob's new key");
    assertEquals(after.displayable(), newBobView.displayable(), "Alice's and new Bob's numbers");
    if (alice.process() == sotto) {
      // Alice (Sotto) holds a code computed with Bob's old key and scans new Bob's (libsignal).
      assertFalse(sottoView(alice, bob).scannable().compareTo(newBobView.scannable()));
      assertTrue(sottoView(alice, newBob).scannable().compareTo(newBobView.scannable()));
    } else {
      // New Bob (Sotto) scans Alice's (libsignal) code from before and after his change.
      Fingerprint newBobSide = sottoView(newBob, alice);
      assertFalse(newBobSide.scannable().compareTo(before.scannable()));
      assertTrue(newBobSide.scannable().compareTo(after.scannable()));
    }
  }

  @Test
  void fingerprint_badPeerNameOrKey_sameErrorKindOnBothPeers() {
    for (PeerProcess p : new PeerProcess[] {libsignal, sotto}) {
      Identity me = identity(p, "me");
      Identity other = identity(p, "other");
      ObjectNode notUuid = MAPPER.createObjectNode().put("name", "+15550100").put("deviceId", 1);
      String what = p.label() + " peer";

      assertEquals(
          "invalid_argument",
          p.failure(
              "fingerprint",
              "who",
              me.who(),
              "peer",
              notUuid,
              "peerIdentityKey",
              other.identityKey()),
          what + ": peer name not a UUID");
      assertEquals(
          "invalid_key",
          p.failure(
              "fingerprint",
              "who",
              me.who(),
              "peer",
              other.address(),
              "peerIdentityKey",
              new byte[5]),
          what + ": 5-byte identity key");
      assertEquals(
          "invalid_argument",
          p.failure(
              "fingerprint",
              "who",
              "nobody-" + labels.incrementAndGet(),
              "peer",
              other.address(),
              "peerIdentityKey",
              other.identityKey()),
          what + ": unknown who");
    }
  }

  private Identity identity(PeerProcess process, String role) {
    String who = "fp-" + role + "-" + labels.incrementAndGet();
    JsonNode r = process.ok("create_identity", "who", who);
    return new Identity(
        process,
        who,
        r.path("name").asText(),
        Base64.getDecoder().decode(r.path("identityKey").asText()));
  }

  /** A new identity (new keys) under {@code previous}'s name, as a re-registration makes. */
  private Identity reRegister(Identity previous) {
    String who = previous.who() + "-new-" + labels.incrementAndGet();
    JsonNode r =
        previous
            .process()
            .ok("create_identity", "who", who, "name", previous.name(), "deviceId", 1);
    return new Identity(
        previous.process(),
        who,
        r.path("name").asText(),
        Base64.getDecoder().decode(r.path("identityKey").asText()));
  }

  /** {@code local}'s safety number with {@code remote}, computed by Sotto in this JVM. */
  private static Fingerprint sottoView(Identity local, Identity remote) throws Exception {
    return SOTTO.createFor(
        NumericFingerprintGenerator.VERSION,
        NumericFingerprintGenerator.uuidIdentifier(local.name()),
        local.key(),
        NumericFingerprintGenerator.uuidIdentifier(remote.name()),
        remote.key());
  }

  private static byte[] sub(byte[] b, int from, int to) {
    assertEquals(74, b.length, "a version-2 code is 74 bytes");
    return Arrays.copyOfRange(b, from, to);
  }
}
