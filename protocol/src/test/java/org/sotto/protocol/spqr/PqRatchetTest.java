package org.sotto.protocol.spqr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.internal.proto.StorageProtos.PqRatchetStructure;

/** Two SPQR states talking to each other through {@link PqRatchet}, without the Double Ratchet. */
class PqRatchetTest {
  private final SecureRandom rng = new SecureRandom();
  private final byte[] spqrKey = new byte[PqRatchet.KEY_LENGTH];
  private final PqRatchetStructure.Builder alice;
  private final PqRatchetStructure.Builder bob;

  PqRatchetTest() {
    rng.nextBytes(spqrKey);
    alice = PqRatchet.start(spqrKey, true).toBuilder();
    bob = PqRatchet.start(spqrKey, false).toBuilder();
  }

  /** Sends one message from {@code from} and has {@code to} take it in; returns the message. */
  private PqRatchetMessage deliver(PqRatchetStructure.Builder from, PqRatchetStructure.Builder to)
      throws Exception {
    PqRatchet.Sent sent = PqRatchet.send(from, rng);
    PqRatchetMessage m = PqRatchetMessage.parse(sent.field());
    byte[] key = PqRatchet.receiveKey(to, m);
    assertEquals(
        HexFormat.of().formatHex(orEmpty(sent.key())), HexFormat.of().formatHex(orEmpty(key)));
    PqRatchet.advance(to, m);
    return m;
  }

  private static byte[] orEmpty(byte[] b) {
    return b == null ? new byte[0] : b;
  }

  @Test
  void alternating_300Messages_keysMatchAndEpochsAdvance() throws Exception {
    long highest = 0;
    for (int i = 0; i < 300; i++) {
      PqRatchetMessage m = i % 2 == 0 ? deliver(alice, bob) : deliver(bob, alice);
      highest = Math.max(highest, m.epoch());
    }
    assertTrue(highest >= 4, "300 alternating messages reached only epoch " + highest);
    assertEquals(alice.getEpoch(), bob.getEpoch());
  }

  @Test
  void firstMessages_initiatorSendsNoKeyUntilAnswered() throws Exception {
    for (int i = 0; i < 3; i++) {
      PqRatchet.Sent sent = PqRatchet.send(alice, rng);
      assertNull(sent.key(), "the initiator's unanswered messages carry no key");
      assertEquals(0, PqRatchetMessage.parse(sent.field()).index());
      PqRatchet.advance(bob, PqRatchetMessage.parse(sent.field()));
    }
    assertEquals(1, deliver(bob, alice).index());
    PqRatchet.Sent after = PqRatchet.send(alice, rng);
    assertEquals(32, after.key().length);
    assertEquals(1, PqRatchetMessage.parse(after.field()).index());
  }

  @Test
  void oneSided_500Messages_stayInFirstEpochAndKeysMatch() throws Exception {
    deliver(alice, bob);
    deliver(bob, alice);
    for (int i = 0; i < 500; i++) {
      assertEquals(1, deliver(alice, bob).epoch());
    }
  }

  @Test
  void reorderedWithinRounds_keysMatchAndEpochsAdvance() throws Exception {
    Random random = new Random(11);
    deliver(alice, bob);
    for (int round = 0; round < 40; round++) {
      PqRatchetStructure.Builder from = round % 2 == 0 ? bob : alice;
      PqRatchetStructure.Builder to = round % 2 == 0 ? alice : bob;
      List<PqRatchet.Sent> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sent.add(PqRatchet.send(from, rng));
      }
      Collections.shuffle(sent, random);
      for (PqRatchet.Sent s : sent) {
        PqRatchetMessage m = PqRatchetMessage.parse(s.field());
        assertArrayEquals(s.key(), PqRatchet.receiveKey(to, m));
        PqRatchet.advance(to, m);
      }
    }
    assertTrue(alice.getEpoch() >= 3, "reordered rounds reached only epoch " + alice.getEpoch());
  }

  @Test
  void receiveKey_sameMessageTwice_throwsDuplicate() throws Exception {
    deliver(alice, bob);
    PqRatchet.Sent sent = PqRatchet.send(bob, rng);
    PqRatchetMessage m = PqRatchetMessage.parse(sent.field());
    PqRatchet.receiveKey(alice, m);
    assertThrows(DuplicateMessageException.class, () -> PqRatchet.receiveKey(alice, m));
  }

  @Test
  void advance_tamperedHeaderChunk_throwsInvalidMessage() throws Exception {
    deliver(alice, bob);
    deliver(alice, bob);
    PqRatchetMessage third = PqRatchetMessage.parse(PqRatchet.send(alice, rng).field());
    assertEquals(PqRatchetMessage.Type.HEADER, third.type());
    byte[] chunk = third.chunk();
    chunk[5] ^= 1;
    PqRatchetMessage tampered =
        new PqRatchetMessage(third.epoch(), third.index(), third.type(), third.chunkIndex(), chunk);
    InvalidMessageException e =
        assertThrows(InvalidMessageException.class, () -> PqRatchet.advance(bob, tampered));
    assertTrue(e.getMessage().contains("header MAC"), e.getMessage());
  }

  @Test
  void receiveKey_unknownEpoch_throwsInvalidMessage() {
    PqRatchetMessage m = new PqRatchetMessage(7, 1, PqRatchetMessage.Type.NONE, -1, null);
    assertThrows(InvalidMessageException.class, () -> PqRatchet.receiveKey(bob, m));
  }

  @Test
  void receiveKey_noKeyFromTheResponder_throwsInvalidMessage() {
    PqRatchetMessage m = new PqRatchetMessage(1, 0, PqRatchetMessage.Type.NONE, -1, null);
    assertThrows(InvalidMessageException.class, () -> PqRatchet.receiveKey(alice, m));
  }

  @Test
  void receiveKey_beyondForwardJump_throwsInvalidMessage() {
    PqRatchetMessage m =
        new PqRatchetMessage(
            1, PqChain.MAX_FORWARD_JUMP + 1L, PqRatchetMessage.Type.NONE, -1, null);
    assertThrows(InvalidMessageException.class, () -> PqRatchet.receiveKey(bob, m));
  }

  @Test
  void receiveKey_skippedKeys_boundedAndLaterOnesStillWork() throws Exception {
    deliver(alice, bob);
    deliver(bob, alice);
    List<PqRatchet.Sent> sent = new ArrayList<>();
    for (int i = 0; i < PqChain.MAX_SKIPPED_KEYS + 10; i++) {
      sent.add(PqRatchet.send(alice, rng));
    }
    PqRatchetMessage last = PqRatchetMessage.parse(sent.get(sent.size() - 1).field());
    PqRatchet.receiveKey(bob, last);
    int stored = 0;
    for (var e : bob.getChainList()) {
      stored += e.getSkippedCount();
    }
    assertEquals(PqChain.MAX_SKIPPED_KEYS, stored);
    PqRatchetMessage oldest = PqRatchetMessage.parse(sent.get(0).field());
    assertThrows(DuplicateMessageException.class, () -> PqRatchet.receiveKey(bob, oldest));
    PqRatchet.Sent kept = sent.get(sent.size() - 2);
    assertArrayEquals(kept.key(), PqRatchet.receiveKey(bob, PqRatchetMessage.parse(kept.field())));
  }

  @Test
  void sent_toString_omitsKey() throws Exception {
    deliver(alice, bob);
    PqRatchet.Sent sent = PqRatchet.send(bob, rng);
    String text = sent.toString();
    assertFalse(text.contains(HexFormat.of().formatHex(sent.key())), text);
    assertTrue(text.contains("redacted"), text);
  }
}
