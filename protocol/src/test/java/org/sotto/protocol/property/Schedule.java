package org.sotto.protocol.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.SessionBuilder;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.PreKeyBundle;

/**
 * One random schedule between two parties over a network that reorders, drops, duplicates and
 * tampers, checking after every delivery what the session promises. Everything (keys, operations,
 * bit flips) follows from the seed. Used once, by one thread.
 */
final class Schedule {
  /**
   * Operations per schedule. A step sends at most two messages, so a schedule has fewer than 2 ×
   * {@value} + 6 messages and no chain ever skips more than that: far under {@link
   * org.sotto.protocol.state.SessionState#MAX_MESSAGE_KEYS} (2,000) and {@link
   * SessionCipher#MAX_FORWARD_JUMPS}, so those limits never cause a failure here. The other limit,
   * five receiving chains, does: see {@link ReceiverChains}.
   */
  static final int STEPS = 60;

  private static final int MAX_PAYLOAD = 40;
  private static final int MAX_FLIPPED_BITS = 3;

  private enum Op {
    SEND_A(18),
    SEND_B(18),
    DELIVER(34),
    DROP(5),
    DELAY(3),
    CONVERSE(6),
    DUPLICATE(10),
    TAMPER(15);

    final int weight;

    Op(int weight) {
      this.weight = weight;
    }
  }

  /**
   * What happened, summed over schedules so the test can show that every kind of event occurred.
   */
  record Stats(
      int delivered,
      int deliveredOutOfOrder,
      int dropped,
      int duplicatesRejected,
      int tamperedRejected,
      int tamperedAccepted,
      int expired) {
    Stats plus(Stats o) {
      return new Stats(
          delivered + o.delivered,
          deliveredOutOfOrder + o.deliveredOutOfOrder,
          dropped + o.dropped,
          duplicatesRejected + o.duplicatesRejected,
          tamperedRejected + o.tamperedRejected,
          tamperedAccepted + o.tamperedAccepted,
          expired + o.expired);
    }
  }

  private final long seed;
  private final Random random;
  private final SecureRandom rng;
  private final TestParty alice;
  private final TestParty bob;
  private final Map<TestParty, ReceiverChains> chains;
  private final List<Envelope> network = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private int delivered;
  private int deliveredOutOfOrder;
  private int dropped;
  private int duplicatesRejected;
  private int tamperedRejected;
  private int tamperedAccepted;
  private int expired;

  Schedule(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    this.rng = seededSecureRandom(seed);
    this.alice = party();
    this.bob = party();
    this.chains = Map.of(alice, new ReceiverChains(), bob, new ReceiverChains());
  }

  /** Runs the schedule; an AssertionError names the seed and the last operations. */
  Stats run() {
    try {
      establish();
      for (int step = 0; step < STEPS; step++) {
        step(pick());
      }
      drain();
      bothDirectionsStillWork();
    } catch (AssertionError | Exception e) {
      throw new AssertionError(
          "schedule failed; replay with -D"
              + SessionSchedulePropertyTest.SEED_PROPERTY
              + "="
              + seed
              + "\nlast operations:\n  "
              + String.join("\n  ", log.subList(Math.max(0, log.size() - 15), log.size())),
          e);
    }
    return new Stats(
        delivered,
        deliveredOutOfOrder,
        dropped,
        duplicatesRejected,
        tamperedRejected,
        tamperedAccepted,
        expired);
  }

  /**
   * Alice processes Bob's bundle and sends one to three prekey messages; Bob decrypts the first and
   * answers, and Alice decrypts the answer. The other prekey messages stay on the network.
   */
  private void establish() throws Exception {
    PreKeyBundle bundle = bob.bundle(true);
    new SessionBuilder(alice.store, bob.address).process(bundle, TestParty.NOW, rng);
    chains.get(alice).initial(bundle.signedPreKey());
    Envelope first = send(alice, bob);
    for (int i = random.nextInt(3); i > 0; i--) {
      send(alice, bob);
    }
    assertDelivers(first);
    assertDelivers(send(bob, alice));
  }

  private void step(Op op) throws Exception {
    switch (op) {
      case SEND_A -> send(alice, bob);
      case SEND_B -> send(bob, alice);
      case DELIVER -> any(e -> e.pending() && !e.delayed).ifPresent(this::deliverFirstTime);
      case DROP ->
          any(Envelope::pending)
              .ifPresent(
                  e -> {
                    e.dropped = true;
                    dropped++;
                    log.add("drop " + e);
                  });
      case DELAY ->
          any(e -> e.pending() && !e.delayed)
              .ifPresent(
                  e -> {
                    e.delayed = true;
                    log.add("delay " + e + " until the end");
                  });
      case CONVERSE -> {
        // A quick exchange while older messages are still in flight: each one moves both sides to
        // new chains.
        assertDelivers(send(alice, bob));
        assertDelivers(send(bob, alice));
      }
      case DUPLICATE -> any(e -> e.delivered).ifPresent(this::deliverAgain);
      case TAMPER -> any(e -> true).ifPresent(this::deliverTampered);
    }
  }

  /** Delivers everything still pending, delayed messages included, in random order. */
  private void drain() {
    List<Envelope> pending = new ArrayList<>(network.stream().filter(Envelope::pending).toList());
    Collections.shuffle(pending, random);
    pending.forEach(this::deliverFirstTime);
  }

  private void bothDirectionsStillWork() throws Exception {
    assertDelivers(send(alice, bob));
    assertDelivers(send(bob, alice));
  }

  private Envelope send(TestParty from, TestParty to) throws Exception {
    int id = network.size();
    byte[] payload = new byte[random.nextInt(MAX_PAYLOAD + 1)];
    random.nextBytes(payload);
    byte[] prefix = ("m" + id + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] plaintext = Arrays.copyOf(prefix, prefix.length + payload.length);
    System.arraycopy(payload, 0, plaintext, prefix.length, payload.length);
    CiphertextMessage m =
        new SessionCipher(from.store, from.address, to.address)
            .encrypt(plaintext, TestParty.NOW, rng);
    byte[] serialized = m.serialize();
    ECPublicKey chain =
        m.type() == CiphertextMessage.PREKEY_TYPE
            ? PreKeySignalMessage.fromBytes(serialized).message().senderRatchetKey()
            : SignalMessage.fromBytes(serialized).senderRatchetKey();
    Envelope e = new Envelope(id, from, to, m.type(), serialized, plaintext, chain);
    network.add(e);
    log.add("send " + e + (from == alice ? " A→B" : " B→A"));
    return e;
  }

  private void assertDelivers(Envelope e) {
    deliverFirstTime(e);
    assertFalse(e.expired, e + " expired although its chain is the newest");
  }

  /**
   * An untampered first delivery decrypts to exactly the plaintext, unless its receiving chain was
   * evicted (see {@link ReceiverChains}): then it fails with InvalidMessageException and changes
   * nothing.
   */
  private void deliverFirstTime(Envelope e) {
    boolean usable = chains.get(e.to).usable(e.chain);
    boolean outOfOrder = network.stream().anyMatch(o -> o.id < e.id && o.to == e.to && o.pending());
    log.add(
        "deliver " + e + (usable ? "" : " (chain evicted)") + (outOfOrder ? " out of order" : ""));
    Result r = attempt(e, e.serialized);
    if (usable) {
      if (r.failure != null) {
        throw new AssertionError(e + " within the limits did not decrypt", r.failure);
      }
      assertArrayEquals(e.plaintext, r.plaintext, e + " decrypted to something else");
      accepted(e);
      deliveredOutOfOrder += outOfOrder ? 1 : 0;
    } else {
      assertInstanceOf(InvalidMessageException.class, r.failure, e + " on an evicted chain");
      e.expired = true;
      expired++;
    }
  }

  /**
   * A replay fails: DuplicateMessageException while the chain is kept, InvalidMessageException
   * after.
   */
  private void deliverAgain(Envelope e) {
    log.add("duplicate " + e);
    Result r = attempt(e, e.serialized);
    Class<? extends ProtocolException> expected =
        chains.get(e.to).usable(e.chain)
            ? DuplicateMessageException.class
            : InvalidMessageException.class;
    assertInstanceOf(expected, r.failure, "replay of " + e);
    duplicatesRejected++;
  }

  /**
   * A copy with one to three bits flipped fails, or (only possible where no MAC covers the flipped
   * bits, as in a prekey message's outer fields) decrypts to exactly the original plaintext, and
   * only on its first delivery.
   */
  private void deliverTampered(Envelope e) {
    byte[] tampered = e.serialized.clone();
    int flips = 1 + random.nextInt(MAX_FLIPPED_BITS);
    for (int i = 0; i < flips; i++) {
      int bit = random.nextInt(tampered.length * 8);
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    if (Arrays.equals(tampered, e.serialized)) {
      return; // the flips cancelled out
    }
    log.add("tamper " + e + " (" + flips + " bits)");
    Result r = attempt(e, tampered);
    if (r.failure != null) {
      tamperedRejected++;
      return;
    }
    assertArrayEquals(e.plaintext, r.plaintext, "tampered " + e + " decrypted to something else");
    assertFalse(
        e.delivered || e.expired, "tampered copy of " + e + " decrypted after the original");
    accepted(e);
    tamperedAccepted++;
  }

  private void accepted(Envelope e) {
    e.delivered = true;
    delivered++;
    chains.get(e.to).decrypted(e.chain);
  }

  private record Result(byte[] plaintext, ProtocolException failure) {}

  /**
   * Decrypts as the receiver; on failure checks that the receiver's session is byte-identical to
   * before.
   */
  private Result attempt(Envelope e, byte[] bytes) {
    byte[] before = e.to.sessionBytes(e.from);
    SessionCipher cipher = new SessionCipher(e.to.store, e.to.address, e.from.address);
    try {
      byte[] plaintext =
          e.type == CiphertextMessage.PREKEY_TYPE
              ? cipher.decrypt(PreKeySignalMessage.fromBytes(bytes), TestParty.NOW, rng)
              : cipher.decrypt(SignalMessage.fromBytes(bytes), TestParty.NOW, rng);
      return new Result(plaintext, null);
    } catch (ProtocolException failure) {
      assertArrayEquals(
          before, e.to.sessionBytes(e.from), "failed delivery of " + e + " changed the session");
      log.add("  -> " + failure.getClass().getSimpleName());
      return new Result(null, failure);
    }
  }

  private Optional<Envelope> any(Predicate<Envelope> filter) {
    List<Envelope> candidates = network.stream().filter(filter).toList();
    return candidates.isEmpty()
        ? Optional.empty()
        : Optional.of(candidates.get(random.nextInt(candidates.size())));
  }

  private Op pick() {
    int total = Arrays.stream(Op.values()).mapToInt(o -> o.weight).sum();
    int r = random.nextInt(total);
    for (Op op : Op.values()) {
      r -= op.weight;
      if (r < 0) {
        return op;
      }
    }
    throw new AssertionError("unreachable");
  }

  /** UUID names, so that prekey messages carry (and receivers check) the addresses field. */
  private TestParty party() {
    ProtocolAddress address =
        new ProtocolAddress(new UUID(random.nextLong(), random.nextLong()).toString(), 1);
    return new TestParty(rng, address, IdentityKeyPair.generate(rng));
  }

  private static SecureRandom seededSecureRandom(long seed) {
    try {
      SecureRandom rng = SecureRandom.getInstance("SHA1PRNG");
      rng.setSeed(seed);
      return rng;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
