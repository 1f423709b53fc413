package org.sotto.bench;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sotto.protocol.message.CiphertextMessage;

/**
 * {@code session_setup}: one op = Alice parses and processes a pre-generated bundle of a brand-new
 * Bob, encrypts the first message (a PreKeySignalMessage) and Bob parses and decrypts it. The Bobs
 * of a batch, their prekey records stored and their bundles serialized, are made before the batch's
 * clock starts. One Alice serves the whole run. Not thread-safe.
 */
final class SessionSetupWorkload implements Workload {
  private final byte[] message;
  private final SecureRandom rng;
  private final BenchParty alice;
  private boolean first = true;

  SessionSetupWorkload(byte[] message, SecureRandom rng) {
    this.message = message;
    this.rng = rng;
    this.alice = new BenchParty(rng);
  }

  private record Peer(BenchParty bob, SerializedBundle bundle) {}

  @Override
  public void runBatch(int ops, Stopwatch stopwatch) throws Exception {
    List<Peer> bobs = new ArrayList<>(ops);
    for (int i = 0; i < ops; i++) {
      BenchParty bob = new BenchParty(rng);
      bobs.add(new Peer(bob, bob.makeBundle(Instant.now())));
    }
    stopwatch.start();
    for (Peer p : bobs) {
      Instant now = Instant.now();
      alice.processBundle(p.bob(), p.bundle(), now);
      WireMessage wire = alice.encrypt(p.bob(), message, now);
      byte[] plaintext = p.bob().decrypt(alice, wire, now);
      if (wire.type() != CiphertextMessage.PREKEY_TYPE) {
        throw new IllegalStateException("expected a PreKeySignalMessage");
      }
      Workload.check(plaintext, message, first);
      first = false;
    }
    stopwatch.stop();
  }
}
