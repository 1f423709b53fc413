package org.sotto.protocol.fuzz;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * A fixed Alice↔Bob session built from a seeded generator, so that the committed seed corpus
 * (written by {@link SeedCorpusWriter}) holds real messages of exactly this session and the fuzzer
 * starts past the MAC check. Bob's side is kept as a snapshot from which each fuzz input gets a
 * fresh store, so inputs never influence each other. Immutable after construction; built once per
 * JVM.
 */
final class FuzzFixture {
  /** Changing this, or how the protocol consumes randomness, invalidates the committed corpus. */
  private static final long SEED = 0x5077_0F_C0DEL;

  static final ProtocolAddress ALICE =
      new ProtocolAddress("9d0652a3-dcc3-4d11-975f-74d61598733f", 1);
  static final ProtocolAddress BOB = new ProtocolAddress("4f1c2b7e-8a55-4c3e-b0d2-6a1e9f3c7d20", 1);

  /**
   * A message Alice really sent to Bob.
   *
   * @param name the seed file name it is written under
   * @param delivered whether Bob has decrypted it in the fixture (so a replay is a duplicate)
   */
  record Sent(String name, int type, byte[] serialized, byte[] plaintext, boolean delivered) {
    /** The Double Ratchet message inside (the message itself for type 2). */
    byte[] inner() {
      try {
        return type == CiphertextMessage.PREKEY_TYPE
            ? PreKeySignalMessage.fromBytes(serialized).message().serialize()
            : serialized.clone();
      } catch (org.sotto.protocol.InvalidMessageException e) {
        throw new AssertionError("Alice's own message does not parse", e);
      }
    }
  }

  private static final class Holder {
    static final FuzzFixture INSTANCE = build();
  }

  final IdentityKeyPair aliceIdentity;
  final IdentityKeyPair bobIdentity;
  private final int bobRegistrationId;
  private final byte[] bobSession;
  private final byte[] aliceSession;
  private final List<SignedPreKeyRecord> bobSignedPreKeys;
  private final List<KyberPreKeyRecord> bobKyberPreKeys;
  private final List<PreKeyRecord> bobPreKeys;
  private final List<Sent> sent;

  private FuzzFixture(TestParty alice, TestParty bob, List<Sent> sent) throws Exception {
    this.aliceIdentity = alice.identity;
    this.bobIdentity = bob.identity;
    this.bobRegistrationId = bob.store.getLocalRegistrationId();
    this.bobSession = bob.sessionBytes(alice);
    this.aliceSession = alice.sessionBytes(bob);
    this.bobSignedPreKeys = List.copyOf(bob.store.loadSignedPreKeys());
    this.bobKyberPreKeys = List.copyOf(bob.store.loadKyberPreKeys());
    List<PreKeyRecord> preKeys = new ArrayList<>();
    for (int id = 1; id <= 2; id++) {
      if (bob.store.containsPreKey(id)) {
        preKeys.add(bob.store.loadPreKey(id));
      }
    }
    this.bobPreKeys = List.copyOf(preKeys);
    this.sent = List.copyOf(sent);
  }

  static FuzzFixture get() {
    return Holder.INSTANCE;
  }

  /** A SHA1PRNG seeded before first use: the same sequence on every run. */
  static SecureRandom seededRandom(long seed) {
    try {
      SecureRandom rng = SecureRandom.getInstance("SHA1PRNG");
      rng.setSeed(seed);
      return rng;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static FuzzFixture build() {
    try {
      SecureRandom rng = seededRandom(SEED);
      TestParty alice = new TestParty(rng, ALICE, IdentityKeyPair.generate(rng));
      TestParty bob = new TestParty(rng, BOB, IdentityKeyPair.generate(rng));
      List<Sent> sent = new ArrayList<>();

      alice.startSessionWith(bob, true);
      Sent first = send(alice, bob, "prekey-delivered", "first prekey message", true, sent);
      bob.decrypt(alice, first.type(), first.serialized());
      // Still a prekey message (Alice has no answer yet) on the same session: Bob has skipped it.
      send(alice, bob, "prekey-same-session-undelivered", "second prekey message", false, sent);
      alice.decrypt(bob, bob.encrypt(alice, "reply"));
      Sent whisper = send(alice, bob, "whisper-delivered", "whisper one", true, sent);
      bob.decrypt(alice, whisper.type(), whisper.serialized());
      send(alice, bob, "whisper-undelivered", "whisper two, not yet delivered", false, sent);
      send(alice, bob, "whisper-undelivered-later", "whisper three, counter ahead", false, sent);
      // Alice starts over with a fresh bundle (prekeys id 2): a prekey message for a new session.
      alice.startSessionWith(bob, true);
      send(alice, bob, "prekey-new-session-undelivered", "new session", false, sent);
      return new FuzzFixture(alice, bob, sent);
    } catch (Exception e) {
      throw new AssertionError("cannot build the fuzz fixture", e);
    }
  }

  private static Sent send(
      TestParty from, TestParty to, String name, String text, boolean delivered, List<Sent> out)
      throws Exception {
    CiphertextMessage m = from.encrypt(to, text);
    Sent s =
        new Sent(
            name,
            m.type(),
            m.serialize(),
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            delivered);
    out.add(s);
    return s;
  }

  /** Every message Alice sent, in order. */
  List<Sent> sent() {
    return sent;
  }

  /** Bob's serialized session with Alice (current state and none archived). */
  byte[] bobSessionBytes() {
    return bobSession.clone();
  }

  /** Alice's serialized session with Bob: a pending prekey state and one archived state. */
  byte[] aliceSessionBytes() {
    return aliceSession.clone();
  }

  List<SignedPreKeyRecord> bobSignedPreKeys() {
    return bobSignedPreKeys;
  }

  List<KyberPreKeyRecord> bobKyberPreKeys() {
    return bobKyberPreKeys;
  }

  List<PreKeyRecord> bobPreKeys() {
    return bobPreKeys;
  }

  /**
   * A fresh store holding Bob's snapshot: identity, trust in Alice, session and remaining prekeys.
   */
  InMemorySignalProtocolStore newBobStore() {
    InMemorySignalProtocolStore store =
        new InMemorySignalProtocolStore(bobIdentity, bobRegistrationId);
    store.saveIdentity(ALICE, aliceIdentity.identityKey());
    try {
      store.storeSession(ALICE, SessionRecord.fromBytes(bobSession));
    } catch (InvalidRecordException e) {
      throw new AssertionError("fixture record does not parse", e);
    }
    bobSignedPreKeys.forEach(r -> store.storeSignedPreKey(r.id(), r));
    bobKyberPreKeys.forEach(r -> store.storeKyberPreKey(r.id(), r));
    bobPreKeys.forEach(r -> store.storePreKey(r.id(), r));
    return store;
  }

  /**
   * The message Alice sent whose inner Double Ratchet message is exactly {@code inner}, or null. A
   * decrypt can only succeed for such bytes: the MAC covers the whole inner message.
   */
  Sent sentWithInner(byte[] inner) {
    for (Sent s : sent) {
      if (Arrays.equals(s.inner(), inner)) {
        return s;
      }
    }
    return null;
  }

  /** The message with this seed file name. */
  Sent sent(String name) {
    return sent.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no fixture message " + name));
  }

  IdentityKey aliceIdentityKey() {
    return aliceIdentity.identityKey();
  }
}
