package org.sotto.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.internal.proto.StorageProtos.SessionRecordStructure;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.spqr.PqRatchetMessage;
import org.sotto.protocol.state.SessionRecord;

/**
 * SPQR in sessions: every message carries it, the initiator's first messages carry no key, and the
 * version rules: a session may do without SPQR only from its start (a peer that does not run it),
 * never after the peer has used it; records written before SPQR still load and work.
 */
class SessionCipherSpqrTest {
  private final SecureRandom rng = new SecureRandom();
  private final TestParty alice = new TestParty(rng);
  private final TestParty bob = new TestParty(rng);

  @Test
  void firstMessages_carrySpqrWithoutKey_thenWithKeysOnceAnswered() throws Exception {
    alice.startSessionWith(bob, true);
    CiphertextMessage first = alice.encrypt(bob, "one");
    assertEquals(0, pq(first).index());
    assertEquals(PqRatchetMessage.Type.HEADER, pq(first).type());
    assertEquals("one", bob.decrypt(alice, first));
    CiphertextMessage reply = bob.encrypt(alice, "two");
    assertEquals(1, pq(reply).index());
    assertEquals("two", alice.decrypt(bob, reply));
    CiphertextMessage next = alice.encrypt(bob, "three");
    assertEquals(1, pq(next).index());
    assertEquals("three", bob.decrypt(alice, next));
    assertTrue(hasSpqr(alice, bob) && hasSpqr(bob, alice));
  }

  @Test
  void responderWithoutSpqr_initiatorDowngradesAtStart_conversationContinues() throws Exception {
    alice.startSessionWith(bob, true);
    assertEquals("one", bob.decrypt(alice, alice.encrypt(bob, "one")));
    stripSpqr(bob, alice); // Bob's software does not run SPQR
    CiphertextMessage reply = bob.encrypt(alice, "two");
    assertNull(SignalMessage.fromBytes(reply.serialize()).pqRatchet());
    assertEquals("two", alice.decrypt(bob, reply));
    assertFalse(hasSpqr(alice, bob), "the initiator dropped SPQR for this session");
    for (int i = 0; i < 20; i++) {
      assertEquals("a" + i, bob.decrypt(alice, alice.encrypt(bob, "a" + i)));
      assertEquals("b" + i, alice.decrypt(bob, bob.encrypt(alice, "b" + i)));
    }
  }

  @Test
  void initiatorWithoutSpqr_responderRunsWithout() throws Exception {
    alice.startSessionWith(bob, true);
    stripSpqr(alice, bob); // Alice's software does not run SPQR
    CiphertextMessage first = alice.encrypt(bob, "one");
    PreKeySignalMessage prekey = PreKeySignalMessage.fromBytes(first.serialize());
    assertNull(prekey.message().pqRatchet());
    assertEquals("one", bob.decrypt(alice, first));
    assertFalse(hasSpqr(bob, alice));
    assertEquals("two", alice.decrypt(bob, bob.encrypt(alice, "two")));
    assertEquals("three", bob.decrypt(alice, alice.encrypt(bob, "three")));
  }

  @Test
  void messageWithoutSpqr_afterPeerUsedIt_rejectedAndSessionKept() throws Exception {
    alice.startSessionWith(bob, true);
    assertEquals("one", bob.decrypt(alice, alice.encrypt(bob, "one")));
    assertEquals("two", alice.decrypt(bob, bob.encrypt(alice, "two")));
    assertEquals("three", bob.decrypt(alice, alice.encrypt(bob, "three")));
    stripSpqr(bob, alice); // a downgrade attempt mid-session
    CiphertextMessage downgraded = bob.encrypt(alice, "four");
    byte[] before = alice.sessionBytes(bob);
    InvalidMessageException e =
        assertThrows(InvalidMessageException.class, () -> alice.decrypt(bob, downgraded));
    assertTrue(e.getMessage().contains("without SPQR"), e.getMessage());
    assertArrayEquals(before, alice.sessionBytes(bob));
  }

  @Test
  void responderMessageWithoutSpqr_inResponderSession_rejected() throws Exception {
    alice.startSessionWith(bob, true);
    assertEquals("one", bob.decrypt(alice, alice.encrypt(bob, "one")));
    stripSpqr(alice, bob); // Alice cannot drop SPQR once Bob runs it with her
    CiphertextMessage downgraded = alice.encrypt(bob, "two");
    byte[] before = bob.sessionBytes(alice);
    assertThrows(InvalidMessageException.class, () -> bob.decrypt(alice, downgraded));
    assertArrayEquals(before, bob.sessionBytes(alice));
  }

  @Test
  void preSpqrRecords_loadAndTheirSessionContinuesWithoutSpqr() throws Exception {
    JsonNode f;
    try (InputStream in =
        getClass().getResourceAsStream("/org/sotto/protocol/pre-spqr-session.json")) {
      f = new ObjectMapper().readTree(in);
    }
    Base64.Decoder b64 = Base64.getDecoder();
    TestParty oldAlice =
        new TestParty(
            rng,
            new ProtocolAddress("11111111-1111-4111-8111-111111111111", 1),
            IdentityKeyPair.fromBytes(b64.decode(f.path("aliceIdentity").asText())));
    TestParty oldBob =
        new TestParty(
            rng,
            new ProtocolAddress("22222222-2222-4222-8222-222222222222", 1),
            IdentityKeyPair.fromBytes(b64.decode(f.path("bobIdentity").asText())));
    oldAlice.store.storeSession(
        oldBob.address, SessionRecord.fromBytes(b64.decode(f.path("aliceRecord").asText())));
    oldBob.store.storeSession(
        oldAlice.address, SessionRecord.fromBytes(b64.decode(f.path("bobRecord").asText())));
    assertFalse(hasSpqr(oldAlice, oldBob));

    assertEquals(
        f.path("pendingText").asText(),
        oldBob.decrypt(
            oldAlice, f.path("pendingType").asInt(), b64.decode(f.path("pending").asText())));
    for (int i = 0; i < 10; i++) {
      assertEquals("b" + i, oldAlice.decrypt(oldBob, oldBob.encrypt(oldAlice, "b" + i)));
      assertEquals("a" + i, oldBob.decrypt(oldAlice, oldAlice.encrypt(oldBob, "a" + i)));
    }
    assertFalse(hasSpqr(oldAlice, oldBob) || hasSpqr(oldBob, oldAlice));
  }

  @Test
  void damagedSpqrState_refusedWhenTheRecordIsParsed() throws Exception {
    alice.startSessionWith(bob, true);
    assertEquals("one", bob.decrypt(alice, alice.encrypt(bob, "one")));
    SessionRecordStructure good = SessionRecordStructure.parseFrom(bob.sessionBytes(alice));
    SessionRecordStructure.Builder shortKey = good.toBuilder();
    shortKey
        .getCurrentBuilder()
        .getPqRatchetBuilder()
        .setAuthMac(ByteString.copyFrom(new byte[31]));
    SessionRecordStructure.Builder badState = good.toBuilder();
    badState.getCurrentBuilder().getPqRatchetBuilder().setState(99);
    SessionRecordStructure.Builder noChain = good.toBuilder();
    noChain.getCurrentBuilder().getPqRatchetBuilder().clearChain();
    SessionRecordStructure.Builder incomplete = good.toBuilder();
    incomplete.getCurrentBuilder().getPqRatchetBuilder().setState(2); // header sent, but no key
    for (SessionRecordStructure.Builder damaged :
        java.util.List.of(shortKey, badState, noChain, incomplete)) {
      assertThrows(
          InvalidRecordException.class,
          () -> SessionRecord.fromBytes(damaged.build().toByteArray()));
    }
    SessionRecord.fromBytes(good.toByteArray());
  }

  private static PqRatchetMessage pq(CiphertextMessage m) throws Exception {
    SignalMessage s =
        m.type() == CiphertextMessage.PREKEY_TYPE
            ? PreKeySignalMessage.fromBytes(m.serialize()).message()
            : SignalMessage.fromBytes(m.serialize());
    return PqRatchetMessage.parse(s.pqRatchet());
  }

  private static boolean hasSpqr(TestParty who, TestParty with) {
    return who.store.loadSession(with.address).currentState().hasPqRatchet();
  }

  /** Removes SPQR from {@code who}'s stored session with {@code with}, as software without it. */
  private static void stripSpqr(TestParty who, TestParty with) throws Exception {
    SessionRecordStructure.Builder r =
        SessionRecordStructure.parseFrom(who.sessionBytes(with)).toBuilder();
    r.getCurrentBuilder().clearPqRatchet();
    who.store.storeSession(with.address, SessionRecord.fromBytes(r.build().toByteArray()));
  }
}
