package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sotto.protocol.spqr.PqRatchetMessage;

/**
 * SPQR sessions between Sotto and libsignal 0.103.0 long enough to pass several braid epochs:
 * alternating, one-sided bursts, and reordered delivery. Each scenario runs in both directions and
 * reads the epoch of every message on the wire, so a run that never left the first epoch fails.
 */
final class LibsignalSpqrSessionInteropTest extends LibsignalInteropTestBase {
  /**
   * An epoch takes about 45 messages each way when they alternate (3 header, 30 ct1 and 36 key
   * chunks overlap, then 5 ct2 chunks), so 400 alternating messages pass four epochs.
   */
  private static final int ALTERNATING = 400;

  @Override
  String libsignalVersion() {
    return "0.103";
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void alternating_400Messages_passFourEpochs_allDecrypt(Direction d) throws Exception {
    Random random = seededRandom("alternating_400Messages_passFourEpochs_allDecrypt[" + d + "]");
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);
    long highest = 0;
    for (int i = 0; i < ALTERNATING; i++) {
      Party from = i % 2 == 0 ? alice : bob;
      Party to = i % 2 == 0 ? bob : alice;
      byte[] text = randomBytes(random, 120);
      Ciphertext ct = from.encrypt(to, text);
      highest = Math.max(highest, epoch(ct));
      to.decryptAndCheck(from, ct, text, "message #" + i + " from " + from);
    }
    assertTrue(highest >= 5, "400 alternating messages reached only SPQR epoch " + highest);
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void oneSidedBursts_thenAlternating_epochsAdvance_allDecrypt(Direction d) throws Exception {
    Random random =
        seededRandom("oneSidedBursts_thenAlternating_epochsAdvance_allDecrypt[" + d + "]");
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);
    long highest = 0;
    // Bursts of 60 one way, then 60 the other: each side's chunks arrive in runs.
    for (int burst = 0; burst < 8; burst++) {
      Party from = burst % 2 == 0 ? alice : bob;
      Party to = burst % 2 == 0 ? bob : alice;
      for (int i = 0; i < 60; i++) {
        byte[] text = randomBytes(random, 120);
        Ciphertext ct = from.encrypt(to, text);
        highest = Math.max(highest, epoch(ct));
        to.decryptAndCheck(from, ct, text, "burst " + burst + " message " + i);
      }
    }
    // A long one-sided run: no epoch can complete without answers, and nothing breaks.
    long before = highest;
    for (int i = 0; i < 150; i++) {
      byte[] text = randomBytes(random, 120);
      Ciphertext ct = alice.encrypt(bob, text);
      assertTrue(epoch(ct) <= before + 1, "an epoch completed without any answer");
      bob.decryptAndCheck(alice, ct, text, "one-sided message " + i);
    }
    for (int i = 0; i < 200; i++) {
      Party from = i % 2 == 0 ? bob : alice;
      Party to = i % 2 == 0 ? alice : bob;
      byte[] text = randomBytes(random, 120);
      Ciphertext ct = from.encrypt(to, text);
      highest = Math.max(highest, epoch(ct));
      to.decryptAndCheck(from, ct, text, "alternating message " + i);
    }
    assertTrue(highest >= 4, "bursts and alternation reached only SPQR epoch " + highest);
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void reorderedWithinWindows_acrossEpochs_allDecrypt(Direction d) throws Exception {
    Random random = seededRandom("reorderedWithinWindows_acrossEpochs_allDecrypt[" + d + "]");
    Party alice = party(initiator(d), "alice");
    Party bob = party(responder(d), "bob");
    establish(alice, bob);
    long highest = 0;
    // Rounds of 8 messages each way, each round delivered shuffled: braid chunks and keys arrive
    // out of order, and the epochs still advance.
    for (int round = 0; round < 40; round++) {
      Party from = round % 2 == 0 ? alice : bob;
      Party to = round % 2 == 0 ? bob : alice;
      List<byte[]> texts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        texts.add(randomBytes(random, 120));
      }
      List<Ciphertext> cts = from.encryptAll(to, texts);
      for (Ciphertext ct : cts) {
        highest = Math.max(highest, epoch(ct));
      }
      List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));
      Collections.shuffle(order, random);
      to.decryptAllAndCheck(
          from,
          order.stream().map(cts::get).toList(),
          order.stream().map(texts::get).toList(),
          "round " + round + " in order " + order);
    }
    assertTrue(highest >= 3, "reordered rounds reached only SPQR epoch " + highest);
    assertEquals(
        "ok",
        new String(bob.decrypt(alice, alice.encrypt(bob, utf8("ok"))), StandardCharsets.UTF_8));
  }

  /** The SPQR epoch of a message on the wire (both implementations always send the field). */
  private static long epoch(Ciphertext ct) throws Exception {
    return PqRatchetMessage.parse(LibsignalSpqrInteropTest.pqRatchet(ct.type(), ct.bytes()))
        .epoch();
  }
}
