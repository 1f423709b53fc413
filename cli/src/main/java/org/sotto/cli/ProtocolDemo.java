package org.sotto.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.SessionBuilder;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyBundle;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;
import org.sotto.protocol.util.KeyHelper;

/**
 * {@code sotto demo --in-memory}: Alice and Bob set up a PQXDH session in memory and exchange a few
 * messages; each line shows what travels (type, size, hex preview) next to what the recipient
 * decrypted. No server.
 */
final class ProtocolDemo {
  private static final int PREVIEW_BYTES = 12;

  private final SecureRandom rng = new SecureRandom();

  /** Runs the in-memory conversation, printing to {@code out}. */
  int run(PrintWriter out) throws Exception {
    Instant now = Instant.now();
    Party alice = new Party("Alice", rng);
    Party bob = new Party("Bob", rng);

    out.println(
        "Sotto protocol demo: PQXDH (X25519 + Kyber-1024) and the Double Ratchet, in memory.");
    out.printf("Alice %s, Bob %s%n", alice.address, bob.address);
    PreKeyBundle bundle = bob.publishBundle(now);
    out.printf(
        "Bob publishes a prekey bundle: identity, signed prekey, one-time prekey, Kyber-1024 prekey"
            + " (%d B public key)%n",
        bundle.kyberPreKey().serialize().length);
    new SessionBuilder(alice.store, bob.address).process(bundle, now, rng);
    out.println("Alice verifies both prekey signatures and runs PQXDH.");
    out.println();
    out.printf(
        "%-13s %-21s %6s  %-26s  %s%n", "direction", "type", "size", "ciphertext", "decrypted");

    String[][] script = {
      {"A", "Hi Bob! This message sets up our session."},
      {"A", "Nobody but you can read it, not even the server."},
      {"B", "Hi Alice, got both. My reply ratchets the keys forward."},
      {"A", "Every reply is a new Diffie-Hellman step."},
      {"A", "And every message a new key."},
      {"B", "Forward secrecy and post-compromise security. See you!"},
    };
    for (String[] line : script) {
      Party from = line[0].equals("A") ? alice : bob;
      Party to = from == alice ? bob : alice;
      byte[] plaintext = line[1].getBytes(StandardCharsets.UTF_8);
      CiphertextMessage message =
          new SessionCipher(from.store, from.address, to.address).encrypt(plaintext, now, rng);
      byte[] wire = message.serialize();
      SessionCipher receiver = new SessionCipher(to.store, to.address, from.address);
      byte[] decrypted =
          message.type() == CiphertextMessage.PREKEY_TYPE
              ? receiver.decrypt(PreKeySignalMessage.fromBytes(wire), now, rng)
              : receiver.decrypt(SignalMessage.fromBytes(wire), now, rng);
      out.printf(
          "%-13s %-21s %5dB  %-26s  %s%n",
          from.name + " -> " + to.name,
          typeName(message.type()),
          wire.length,
          HexFormat.of().formatHex(wire, 0, Math.min(PREVIEW_BYTES, wire.length)) + "…",
          new String(decrypted, StandardCharsets.UTF_8));
    }
    out.println();
    out.printf(
        "Session record sizes: Alice %d B, Bob %d B (kept by each device, never by a server).%n",
        alice.store.loadSession(bob.address).serialize().length,
        bob.store.loadSession(alice.address).serialize().length);
    out.flush();
    return 0;
  }

  private static String typeName(int type) {
    return type == CiphertextMessage.PREKEY_TYPE ? "PreKeySignalMessage" : "SignalMessage";
  }

  /** One demo device. */
  private static final class Party {
    final String name;
    final ProtocolAddress address;
    final IdentityKeyPair identity;
    final InMemorySignalProtocolStore store;
    final SecureRandom rng;

    Party(String name, SecureRandom rng) {
      this.name = name;
      this.rng = rng;
      this.address = new ProtocolAddress(UUID.randomUUID().toString(), 1);
      this.identity = IdentityKeyPair.generate(rng);
      this.store = new InMemorySignalProtocolStore(identity, KeyHelper.generateRegistrationId(rng));
    }

    PreKeyBundle publishBundle(Instant now) {
      PreKeyRecord preKey = KeyHelper.generatePreKey(1, rng);
      SignedPreKeyRecord signed = KeyHelper.generateSignedPreKey(identity, 1, now, rng);
      KyberPreKeyRecord kyber = KeyHelper.generateKyberPreKey(identity, 1, true, now, rng);
      store.storePreKey(1, preKey);
      store.storeSignedPreKey(1, signed);
      store.storeKyberPreKey(1, kyber);
      return new PreKeyBundle(
          store.getLocalRegistrationId(),
          address.deviceId(),
          1,
          preKey.keyPair().publicKey(),
          1,
          signed.keyPair().publicKey(),
          signed.signature(),
          1,
          kyber.keyPair().publicKey(),
          kyber.signature(),
          identity.identityKey());
    }
  }
}
