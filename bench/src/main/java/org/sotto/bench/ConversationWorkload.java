package org.sotto.bench;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * {@code two_way} and {@code one_way}: one op = one message on an established, acknowledged session
 * (the sender encrypts to bytes, the receiver parses and decrypts). In {@code two_way} the
 * direction alternates, so every receipt is a DH ratchet step; in {@code one_way} Alice only sends,
 * so only the symmetric chains advance. Not thread-safe.
 */
final class ConversationWorkload implements Workload {
  private final byte[] message;
  private final boolean alternate;
  private final BenchParty alice;
  private final BenchParty bob;
  private long turn;
  private boolean first = true;

  private ConversationWorkload(
      byte[] message, boolean alternate, BenchParty alice, BenchParty bob) {
    this.message = message;
    this.alternate = alternate;
    this.alice = alice;
    this.bob = bob;
  }

  /**
   * New Alice and Bob with an acknowledged session (not measured): Alice processes Bob's bundle and
   * sends a PreKeySignalMessage, Bob answers, so every later message is a SignalMessage.
   */
  static ConversationWorkload create(byte[] message, boolean alternate, SecureRandom rng)
      throws Exception {
    BenchParty alice = new BenchParty(rng);
    BenchParty bob = new BenchParty(rng);
    Instant now = Instant.now();
    alice.processBundle(bob, bob.makeBundle(now), now);
    Workload.check(bob.decrypt(alice, alice.encrypt(bob, message, now), now), message, true);
    Workload.check(alice.decrypt(bob, bob.encrypt(alice, message, now), now), message, true);
    return new ConversationWorkload(message, alternate, alice, bob);
  }

  @Override
  public void runBatch(int ops, Stopwatch stopwatch) throws Exception {
    stopwatch.start();
    for (int i = 0; i < ops; i++) {
      boolean fromAlice = !alternate || turn++ % 2 == 0;
      BenchParty from = fromAlice ? alice : bob;
      BenchParty to = fromAlice ? bob : alice;
      Instant now = Instant.now();
      WireMessage wire = from.encrypt(to, message, now);
      Workload.check(to.decrypt(from, wire, now), message, first);
      first = false;
    }
    stopwatch.stop();
  }

  /** The size of Alice's serialized session record with Bob. */
  int aliceRecordBytes() {
    return alice.sessionRecordBytes(bob);
  }

  /** The size of Bob's serialized session record with Alice. */
  int bobRecordBytes() {
    return bob.sessionRecordBytes(alice);
  }
}
