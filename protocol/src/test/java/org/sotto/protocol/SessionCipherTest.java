package org.sotto.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SessionState;

class SessionCipherTest {
  private final SecureRandom rng = new SecureRandom();
  private final TestParty alice = new TestParty(rng);
  private final TestParty bob = new TestParty(rng);

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void firstMessage_withAndWithoutOneTimePreKey_decryptsAndConsumesPreKey(boolean oneTime)
      throws Exception {
    alice.startSessionWith(bob, oneTime);
    CiphertextMessage first = alice.encrypt(bob, "hello bob");
    assertEquals(CiphertextMessage.PREKEY_TYPE, first.type());
    assertEquals(oneTime, bob.store.containsPreKey(1));
    assertEquals("hello bob", bob.decrypt(alice, first));
    assertFalse(bob.store.containsPreKey(1), "one-time prekey must be deleted after use");
    assertFalse(bob.store.containsKyberPreKey(1), "one-time Kyber prekey must be deleted");

    CiphertextMessage reply = bob.encrypt(alice, "hi alice");
    assertEquals(CiphertextMessage.WHISPER_TYPE, reply.type());
    assertEquals("hi alice", alice.decrypt(bob, reply));
    CiphertextMessage next = alice.encrypt(bob, "after reply");
    assertEquals(CiphertextMessage.WHISPER_TYPE, next.type());
    assertEquals("after reply", bob.decrypt(alice, next));
  }

  @Test
  void prekeyMessage_untilAnswered_staysPreKeyTypeAndAllDecrypt() throws Exception {
    alice.startSessionWith(bob, true);
    List<CiphertextMessage> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CiphertextMessage m = alice.encrypt(bob, "m" + i);
      assertEquals(CiphertextMessage.PREKEY_TYPE, m.type());
      sent.add(m);
    }
    for (int i = 4; i >= 0; i--) {
      assertEquals("m" + i, bob.decrypt(alice, sent.get(i)));
    }
  }

  @Test
  void conversation_randomDirections_allDecrypt() throws Exception {
    alice.startSessionWith(bob, true);
    assertEquals("x", bob.decrypt(alice, alice.encrypt(bob, "x")));
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      boolean fromAlice = random.nextBoolean();
      TestParty from = fromAlice ? alice : bob;
      TestParty to = fromAlice ? bob : alice;
      String text = "message " + i;
      assertEquals(text, to.decrypt(from, from.encrypt(to, text)));
    }
  }

  @Test
  void outOfOrder_acrossRatchetSteps_allDecrypt() throws Exception {
    alice.startSessionWith(bob, true);
    assertEquals("start", bob.decrypt(alice, alice.encrypt(bob, "start")));
    List<CiphertextMessage> fromAlice = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 10; i++) {
        String t = "r" + round + "m" + i;
        fromAlice.add(alice.encrypt(bob, t));
        texts.add(t);
      }
      // Bob answers so that Alice's next batch starts a new chain.
      assertEquals("ok" + round, alice.decrypt(bob, bob.encrypt(alice, "ok" + round)));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < fromAlice.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(7));
    for (int i : order) {
      assertEquals(texts.get(i), bob.decrypt(alice, fromAlice.get(i)));
    }
  }

  @Test
  void decrypt_duplicate_throwsDuplicateAndKeepsSession() throws Exception {
    alice.startSessionWith(bob, true);
    CiphertextMessage first = alice.encrypt(bob, "one");
    bob.decrypt(alice, first);
    byte[] before = bob.sessionBytes(alice);
    assertThrows(DuplicateMessageException.class, () -> bob.decrypt(alice, first));
    assertArrayEquals(before, bob.sessionBytes(alice));

    CiphertextMessage reply = bob.encrypt(alice, "two");
    alice.decrypt(bob, reply);
    assertThrows(DuplicateMessageException.class, () -> alice.decrypt(bob, reply));
    assertEquals("three", bob.decrypt(alice, alice.encrypt(bob, "three")));
  }

  @Test
  void decrypt_tamperedMac_rejectsAndKeepsSession() throws Exception {
    establish();
    CiphertextMessage m = alice.encrypt(bob, "secret");
    byte[] bytes = m.serialize();
    bytes[bytes.length - 1] ^= 1;
    byte[] before = bob.sessionBytes(alice);
    assertThrows(
        InvalidMessageException.class,
        () -> bob.decrypt(alice, CiphertextMessage.WHISPER_TYPE, bytes));
    assertArrayEquals(before, bob.sessionBytes(alice));
    assertEquals("secret", bob.decrypt(alice, m));
  }

  @Test
  void decrypt_tamperedBodyOrVersion_rejectsAndKeepsSession() throws Exception {
    establish();
    CiphertextMessage m = alice.encrypt(bob, "secret body");
    byte[] body = m.serialize();
    body[body.length - 12] ^= 0x40;
    byte[] version = m.serialize();
    version[0] = 0x34;
    byte[] before = bob.sessionBytes(alice);
    assertThrows(
        InvalidMessageException.class,
        () -> bob.decrypt(alice, CiphertextMessage.WHISPER_TYPE, body));
    assertThrows(
        InvalidMessageException.class,
        () -> bob.decrypt(alice, CiphertextMessage.WHISPER_TYPE, version));
    assertArrayEquals(before, bob.sessionBytes(alice));
    assertEquals("secret body", bob.decrypt(alice, m));
  }

  @Test
  void decrypt_tooFarInFuture_rejectsAndKeepsSession() throws Exception {
    establish();
    // Fast-forward Alice's sending chain past the forward-jump limit without encrypting each
    // message.
    SessionRecord record = alice.store.loadSession(bob.address);
    SessionState state = record.currentState();
    var ck = state.senderChainKey();
    for (int i = 0; i <= SessionCipher.MAX_FORWARD_JUMPS; i++) {
      ck = ck.next();
    }
    state.setSenderChainKey(ck);
    record.setState(state);
    alice.store.storeSession(bob.address, record);
    byte[] before = bob.sessionBytes(alice);
    CiphertextMessage far = alice.encrypt(bob, "far");
    assertThrows(InvalidMessageException.class, () -> bob.decrypt(alice, far));
    assertArrayEquals(before, bob.sessionBytes(alice));
  }

  @Test
  void decrypt_atForwardJumpLimit_decryptsAndKeepsOnlyNewestSkippedKeys() throws Exception {
    establish();
    SessionRecord record = alice.store.loadSession(bob.address);
    SessionState state = record.currentState();
    var ck = state.senderChainKey();
    for (int i = 0; i < SessionCipher.MAX_FORWARD_JUMPS; i++) {
      ck = ck.next();
    }
    state.setSenderChainKey(ck);
    record.setState(state);
    alice.store.storeSession(bob.address, record);
    assertEquals("edge", bob.decrypt(alice, alice.encrypt(bob, "edge")));
    SessionState bobState = bob.store.loadSession(alice.address).currentState();
    ECPublicKeyProbe probe = new ECPublicKeyProbe(alice, bob);
    assertTrue(bobState.hasMessageKeySeed(probe.aliceRatchet(), ck.index() - 1));
    assertFalse(
        bobState.hasMessageKeySeed(
            probe.aliceRatchet(), ck.index() - SessionState.MAX_MESSAGE_KEYS - 1));
  }

  @Test
  void decrypt_noSession_throwsNoSession() throws Exception {
    establish();
    TestParty carol = new TestParty(rng);
    CiphertextMessage m = alice.encrypt(bob, "for bob");
    assertThrows(NoSessionException.class, () -> carol.decrypt(alice, m));
    assertThrows(NoSessionException.class, () -> carol.encrypt(alice, "nothing"));
  }

  @Test
  void newPreKeyMessage_newBaseKey_startsFreshStateAndOldInFlightStillDecrypts() throws Exception {
    establish();
    CiphertextMessage inFlight = alice.encrypt(bob, "old session");
    // Alice re-initiates (e.g. after reinstalling her session state).
    alice.startSessionWith(bob, true);
    CiphertextMessage fresh = alice.encrypt(bob, "new session");
    assertEquals(CiphertextMessage.PREKEY_TYPE, fresh.type());
    assertEquals("new session", bob.decrypt(alice, fresh));
    assertEquals(1, bob.store.loadSession(alice.address).previousStateCount());
    assertEquals("old session", bob.decrypt(alice, inFlight));
    assertEquals("back", alice.decrypt(bob, bob.encrypt(alice, "back")));
  }

  @Test
  void simultaneousInitiation_bothSides_converge() throws Exception {
    alice.startSessionWith(bob, true);
    bob.startSessionWith(alice, true);
    CiphertextMessage a1 = alice.encrypt(bob, "a1");
    CiphertextMessage b1 = bob.encrypt(alice, "b1");
    assertEquals("a1", bob.decrypt(alice, a1));
    assertEquals("b1", alice.decrypt(bob, b1));
    for (int i = 0; i < 5; i++) {
      assertEquals("a" + i, bob.decrypt(alice, alice.encrypt(bob, "a" + i)));
      assertEquals("b" + i, alice.decrypt(bob, bob.encrypt(alice, "b" + i)));
    }
    assertEquals(CiphertextMessage.WHISPER_TYPE, alice.encrypt(bob, "z").type());
    assertEquals(CiphertextMessage.WHISPER_TYPE, bob.encrypt(alice, "z").type());
  }

  @Test
  void changedIdentity_untrustedUntilSaved() throws Exception {
    establish();
    TestParty newBob = new TestParty(rng, bob.address, IdentityKeyPair.generate(rng));
    assertThrows(UntrustedIdentityException.class, () -> alice.startSessionWith(newBob, true));
    // Receiving direction: a prekey message from the changed identity.
    newBob.startSessionWith(alice, true);
    CiphertextMessage m = newBob.encrypt(alice, "it's me, new key");
    byte[] before = alice.sessionBytes(bob);
    assertThrows(UntrustedIdentityException.class, () -> alice.decrypt(newBob, m));
    assertArrayEquals(before, alice.sessionBytes(bob));
    alice.store.saveIdentity(bob.address, newBob.identity.identityKey());
    assertEquals("it's me, new key", alice.decrypt(newBob, m));
  }

  @Test
  void process_badSignedPreKeySignature_rejectsAndStoresNothing() throws Exception {
    var bundle = bob.bundle(true);
    byte[] sig = bundle.signedPreKeySignature();
    sig[5] ^= 1;
    var bad =
        new org.sotto.protocol.state.PreKeyBundle(
            bundle.registrationId(),
            bundle.deviceId(),
            bundle.preKeyId(),
            bundle.preKey(),
            bundle.signedPreKeyId(),
            bundle.signedPreKey(),
            sig,
            bundle.kyberPreKeyId(),
            bundle.kyberPreKey(),
            bundle.kyberPreKeySignature(),
            bundle.identityKey());
    assertThrows(
        InvalidKeyException.class,
        () -> new SessionBuilder(alice.store, bob.address).process(bad, TestParty.NOW, rng));
    assertFalse(alice.store.containsSession(bob.address));
  }

  @Test
  void encrypt_staleUnansweredSession_throwsNoSession() throws Exception {
    alice.startSessionWith(bob, true);
    SessionCipher cipher = new SessionCipher(alice.store, alice.address, bob.address);
    assertThrows(
        NoSessionException.class,
        () ->
            cipher.encrypt(
                new byte[] {1},
                TestParty.NOW.plus(SessionCipher.MAX_UNACKNOWLEDGED_SESSION_AGE).plusSeconds(1),
                rng));
  }

  @Test
  void prekeyMessage_addressesField_presentForUuidNamesAndChecked() throws Exception {
    alice.startSessionWith(bob, true);
    PreKeySignalMessage m = (PreKeySignalMessage) alice.encrypt(bob, "hi");
    assertNotNull(m.message().addresses());
    assertEquals(36, m.message().addresses().length);
    TestParty eve = new TestParty(rng, new ProtocolAddress(bob.address.name(), 2), bob.identity);
    // Same keys, but the message names device 1 as recipient: device 2 must refuse it.
    copyPreKeys(bob, eve);
    assertThrows(InvalidMessageException.class, () -> eve.decrypt(alice, m));
    assertEquals("hi", bob.decrypt(alice, m));
  }

  @Test
  void signalMessage_wireFormat_versionByteAndMacLength() throws Exception {
    establish();
    byte[] b = alice.encrypt(bob, "x".repeat(100)).serialize();
    assertEquals(0x44, b[0] & 0xFF);
    SignalMessage parsed = SignalMessage.fromBytes(b);
    assertEquals(112, parsed.ciphertext().length);
  }

  private static void copyPreKeys(TestParty from, TestParty to) throws Exception {
    for (var r : from.store.loadSignedPreKeys()) {
      to.store.storeSignedPreKey(r.id(), r);
    }
    for (var r : from.store.loadKyberPreKeys()) {
      to.store.storeKyberPreKey(r.id(), r);
    }
    for (int id = 1; id < 10; id++) {
      if (from.store.containsPreKey(id)) {
        to.store.storePreKey(id, from.store.loadPreKey(id));
      }
    }
  }

  private void establish() throws Exception {
    alice.startSessionWith(bob, true);
    assertEquals("hello", bob.decrypt(alice, alice.encrypt(bob, "hello")));
    assertEquals("hi", alice.decrypt(bob, bob.encrypt(alice, "hi")));
  }

  /** Reads Alice's current sending ratchet key from her stored session. */
  private record ECPublicKeyProbe(TestParty alice, TestParty bob) {
    org.sotto.protocol.ecc.ECPublicKey aliceRatchet() {
      return alice.store.loadSession(bob.address).currentState().senderRatchetKey();
    }
  }
}
