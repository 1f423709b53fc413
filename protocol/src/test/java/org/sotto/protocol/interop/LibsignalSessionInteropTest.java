package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 1:1 sessions between Sotto and libsignal through the JSON-lines peers: session setup, long
 * conversations, out-of-order delivery, duplicates, tampering and simultaneous initiation. Each
 * scenario runs in both directions; the initiator's implementation is the one that sends first.
 */
class LibsignalSessionInteropTest extends LibsignalInteropTestBase {

  @ParameterizedTest
  @EnumSource(Direction.class)
  void session_withOneTimePreKey_preKeyMessagesUntilReplyThenType2(Direction d) {
    firstMessages(d, true);
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void session_withoutOneTimePreKey_preKeyMessagesUntilReplyThenType2(Direction d) {
    firstMessages(d, false);
  }

  private void firstMessages(Direction d, boolean oneTimePreKey) {
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    JsonNode bundle = bob.bundle(oneTimePreKey);
    assertEquals(oneTimePreKey, !bundle.path("preKeyId").isNull(), "bundle preKeyId");
    alice.processBundle(bob, bundle);
    assertTrue(alice.hasSession(bob), "initiator has a session after process_bundle");
    assertFalse(bob.hasSession(alice), "responder has no session before the first message");

    Ciphertext m1 = alice.encrypt(bob, utf8("m1"));
    Ciphertext m2 = alice.encrypt(bob, utf8("m2"));
    assertEquals(Ciphertext.PREKEY, m1.type(), "first message type");
    assertEquals(Ciphertext.PREKEY, m2.type(), "second message before any reply");
    bob.decryptAndCheck(alice, m1, utf8("m1"), "m1");
    assertTrue(bob.hasSession(alice), "responder has a session after the first message");
    bob.decryptAndCheck(alice, m2, utf8("m2"), "m2");

    bob.sendExpectingType(alice, utf8("r1"), Ciphertext.WHISPER, "reply");
    alice.sendExpectingType(bob, utf8("m3"), Ciphertext.WHISPER, "initiator after the reply");
    bob.sendExpectingType(alice, utf8("r2"), Ciphertext.WHISPER, "second reply");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void conversation_1000RandomDirections_allDecrypt(Direction d) {
    Random random = seededRandom("conversation_1000RandomDirections_allDecrypt[" + d + "]");
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    alice.startSession(bob, true);

    int total = 1000;
    boolean aliceHeardFromBob = false;
    int sent = 0;
    while (sent < total) {
      boolean fromAlice = sent == 0 || random.nextBoolean();
      Party sender = fromAlice ? alice : bob;
      Party receiver = fromAlice ? bob : alice;
      int burst = 1 + random.nextInt(Math.min(5, total - sent));
      List<byte[]> plaintexts = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        plaintexts.add(randomBytes(random, 300));
      }
      List<Ciphertext> cts = sender.encryptAll(receiver, plaintexts);
      int expectedType = fromAlice && !aliceHeardFromBob ? Ciphertext.PREKEY : Ciphertext.WHISPER;
      for (int i = 0; i < burst; i++) {
        assertEquals(expectedType, cts.get(i).type(), "message #" + (sent + i) + " from " + sender);
      }
      receiver.decryptAllAndCheck(
          sender, cts, plaintexts, "messages #" + sent + ".. from " + sender);
      aliceHeardFromBob |= !fromAlice;
      sent += burst;
    }
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void outOfOrder_50AcrossTwoChainsShuffled_allDecrypt(Direction d) {
    Random random = seededRandom("outOfOrder_50AcrossTwoChainsShuffled_allDecrypt[" + d + "]");
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);

    List<byte[]> plaintexts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      plaintexts.add(randomBytes(random, 200));
    }
    // Two sending chains: 20 messages, then a reply that makes Alice ratchet, then 30 more.
    List<Ciphertext> cts = new ArrayList<>(alice.encryptAll(bob, plaintexts.subList(0, 20)));
    bob.decryptAndCheck(alice, cts.get(0), plaintexts.get(0), "message #0");
    bob.sendExpectingType(alice, utf8("ratchet, please"), Ciphertext.WHISPER, "reply");
    cts.addAll(alice.encryptAll(bob, plaintexts.subList(20, 50)));

    List<Integer> order = new ArrayList<>();
    for (int i = 1; i < 50; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    bob.decryptAllAndCheck(
        alice,
        order.stream().map(cts::get).toList(),
        order.stream().map(plaintexts::get).toList(),
        "shuffled delivery " + order);

    bob.sendExpectingType(alice, utf8("after"), Ciphertext.WHISPER, "reply after shuffle");
    alice.sendExpectingType(bob, utf8("after too"), Ciphertext.WHISPER, "message after shuffle");
  }

  /**
   * 2,001 messages delivered last first: the first delivery skips 2,000 message keys, exactly the
   * skipped-key limit both implementations keep, and every skipped key must then still work. (The
   * 25,000 forward-jump limit is tested in Sotto's unit tests: reaching it over JSON would take
   * minutes.)
   */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void outOfOrder_gapOf2000DeliveredLastFirst_allDecrypt(Direction d) {
    Random random = seededRandom("outOfOrder_gapOf2000DeliveredLastFirst_allDecrypt[" + d + "]");
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);

    List<byte[]> plaintexts = new ArrayList<>();
    for (int i = 0; i <= 2000; i++) {
      plaintexts.add(randomBytes(random, 40));
    }
    List<Ciphertext> cts = alice.encryptAll(bob, plaintexts);
    List<Ciphertext> reversedCts = new ArrayList<>(cts);
    List<byte[]> reversedPlaintexts = new ArrayList<>(plaintexts);
    Collections.reverse(reversedCts);
    Collections.reverse(reversedPlaintexts);
    bob.decryptAllAndCheck(alice, reversedCts, reversedPlaintexts, "last-first delivery");

    bob.sendExpectingType(alice, utf8("got them all"), Ciphertext.WHISPER, "reply after gap");
    alice.sendExpectingType(bob, utf8("good"), Ciphertext.WHISPER, "message after gap");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void duplicate_secondDeliveryRejected_sessionStillWorks(Direction d) {
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);

    List<byte[]> pts = List.of(utf8("one"), utf8("two"), utf8("three"));
    List<Ciphertext> cts = alice.encryptAll(bob, pts);
    bob.decryptAndCheck(alice, cts.get(0), pts.get(0), "one");
    assertEquals("duplicate_message", bob.decryptFailure(alice, cts.get(0)), "in-order duplicate");
    bob.decryptAndCheck(alice, cts.get(2), pts.get(2), "three (skipping two)");
    bob.decryptAndCheck(alice, cts.get(1), pts.get(1), "two (from the skipped keys)");
    assertEquals(
        "duplicate_message", bob.decryptFailure(alice, cts.get(1)), "duplicate of a skipped key");
    assertEquals("duplicate_message", bob.decryptFailure(alice, cts.get(2)), "duplicate of three");

    alice.sendExpectingType(bob, utf8("four"), Ciphertext.WHISPER, "after duplicates");
    bob.sendExpectingType(alice, utf8("reply"), Ciphertext.WHISPER, "reply after duplicates");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void duplicate_preKeyMessageTwice_rejectedAsDuplicate_sessionStillWorks(Direction d) {
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    alice.startSession(bob, true);
    Ciphertext first = alice.encrypt(bob, utf8("first"));
    assertEquals(Ciphertext.PREKEY, first.type());
    bob.decryptAndCheck(alice, first, utf8("first"), "first");
    assertEquals("duplicate_message", bob.decryptFailure(alice, first), "PreKey message again");

    bob.sendExpectingType(alice, utf8("reply"), Ciphertext.WHISPER, "reply");
    alice.sendExpectingType(bob, utf8("next"), Ciphertext.WHISPER, "after reply");
  }

  /** Ways to damage a message in transit; byte 0 is the version byte 0x44 of both message types. */
  enum Tamper {
    LAST_BYTE("last byte flipped") {
      @Override
      Ciphertext apply(Ciphertext ct) {
        return ct.withByteFlipped(-1, 0x01);
      }
    },
    BODY_BYTE("ciphertext byte in the middle flipped") {
      @Override
      Ciphertext apply(Ciphertext ct) {
        // A SignalMessage ends with the AES ciphertext (80 B for the 64-byte plaintext used) and an
        // 8-byte MAC.
        int index =
            ct.type() == Ciphertext.WHISPER ? ct.bytes().length - 8 - 40 : ct.bytes().length / 2;
        return ct.withByteFlipped(index, 0x80);
      }
    },
    VERSION_5("version byte 0x44 → 0x54") {
      @Override
      Ciphertext apply(Ciphertext ct) {
        return ct.withByte(0, 0x54);
      }
    },
    VERSION_3("version byte 0x44 → 0x34") {
      @Override
      Ciphertext apply(Ciphertext ct) {
        return ct.withByte(0, 0x34);
      }
    },
    VERSION_2("version byte 0x44 → 0x24") {
      @Override
      Ciphertext apply(Ciphertext ct) {
        return ct.withByte(0, 0x24);
      }
    };

    private final String description;

    Tamper(String description) {
      this.description = description;
    }

    abstract Ciphertext apply(Ciphertext ct);

    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> directionsAndTampers() {
    return Arrays.stream(Direction.values())
        .flatMap(d -> Arrays.stream(Tamper.values()).map(t -> Arguments.of(d, t)));
  }

  @ParameterizedTest
  @MethodSource("directionsAndTampers")
  void tamperedSignalMessage_rejectedAsInvalid_untamperedStillDecrypts(Direction d, Tamper t) {
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);
    byte[] pt = new byte[64];
    Arrays.fill(pt, (byte) 'x');

    Ciphertext ct = alice.encrypt(bob, pt);
    assertEquals(Ciphertext.WHISPER, ct.type());
    assertEquals(0x44, ct.bytes()[0] & 0xFF, "version byte of " + alice.implementation());
    assertEquals("invalid_message", bob.decryptFailure(alice, t.apply(ct)), t.toString());
    bob.decryptAndCheck(alice, ct, pt, "untampered message after the tampered one");
    bob.sendExpectingType(alice, utf8("reply"), Ciphertext.WHISPER, "reply");
    alice.sendExpectingType(bob, utf8("next"), Ciphertext.WHISPER, "next message");
  }

  @ParameterizedTest
  @MethodSource("directionsAndTampers")
  void tamperedPreKeyMessage_rejectedAsInvalid_nothingStored(Direction d, Tamper t) {
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    alice.startSession(bob, true);
    byte[] pt = new byte[64];
    Arrays.fill(pt, (byte) 'y');

    Ciphertext ct = alice.encrypt(bob, pt);
    assertEquals(Ciphertext.PREKEY, ct.type());
    assertEquals(0x44, ct.bytes()[0] & 0xFF, "version byte of " + alice.implementation());
    assertEquals("invalid_message", bob.decryptFailure(alice, t.apply(ct)), t.toString());
    assertFalse(bob.hasSession(alice), "a rejected PreKey message must not create a session");
    // The one-time prekey must not have been used up by the failure.
    bob.decryptAndCheck(alice, ct, pt, "untampered PreKey message after the tampered one");
    bob.sendExpectingType(alice, utf8("reply"), Ciphertext.WHISPER, "reply");
  }

  /**
   * Both sides fetch each other's bundle and send a PreKey message before receiving anything. After
   * both decrypt, each holds two sessions; the first type-2 message each way makes them agree on
   * one (libsignal's test_simultaneous_initiate).
   */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void simultaneousInitiation_bothSendPreKeyMessagesFirst_converge(Direction d) {
    Random random = seededRandom("simultaneousInitiation[" + d + "]");
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    JsonNode aliceBundle = alice.bundle(true);
    JsonNode bobBundle = bob.bundle(true);
    alice.processBundle(bob, bobBundle);
    bob.processBundle(alice, aliceBundle);
    Ciphertext fromAlice = alice.encrypt(bob, utf8("hi bob"));
    Ciphertext fromBob = bob.encrypt(alice, utf8("hi alice"));
    assertEquals(Ciphertext.PREKEY, fromAlice.type());
    assertEquals(Ciphertext.PREKEY, fromBob.type());

    alice.decryptAndCheck(bob, fromBob, utf8("hi alice"), "Bob's PreKey message");
    bob.decryptAndCheck(alice, fromAlice, utf8("hi bob"), "Alice's PreKey message");

    alice.sendExpectingType(
        bob, utf8("a1"), Ciphertext.WHISPER, "Alice after both PreKey messages");
    bob.sendExpectingType(alice, utf8("b1"), Ciphertext.WHISPER, "Bob after both PreKey messages");
    for (int i = 0; i < 40; i++) {
      boolean aliceSends = random.nextBoolean();
      Party s = aliceSends ? alice : bob;
      Party r = aliceSends ? bob : alice;
      s.sendExpectingType(
          r, randomBytes(random, 100), Ciphertext.WHISPER, "converged message #" + i);
    }
  }
}
