package org.sotto.protocol.fuzz;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.groups.GroupCipher;
import org.sotto.protocol.groups.GroupSessionBuilder;
import org.sotto.protocol.groups.SenderKeyRecord;
import org.sotto.protocol.internal.proto.SealedProtos;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.SenderKeyMessage;
import org.sotto.protocol.sealed.ContentHint;
import org.sotto.protocol.sealed.SealedSessionCipher;
import org.sotto.protocol.sealed.SealedTestSupport;
import org.sotto.protocol.sealed.SenderCertificate;
import org.sotto.protocol.sealed.ServerCertificate;
import org.sotto.protocol.sealed.UnidentifiedSenderMessageContent;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * A fixed sealed-sender setup built from a seeded generator, so that the committed seed corpus of
 * {@link SealedSenderFuzzTest} holds real sealed messages of exactly this setup and the fuzzer
 * starts past both MACs: a trust root and server key, Alice's certificate, an Alice↔Bob session in
 * which Bob has received some sealed messages, and a sender key of Alice's that Bob holds. Bob's
 * side is kept as a snapshot from which each fuzz input gets a fresh store. Immutable after
 * construction; built once per JVM.
 */
final class SealedSenderFuzzFixture {
  /** Changing this, or how the protocol consumes randomness, invalidates the committed corpus. */
  private static final long SEED = 0x5EA1_ED_C0DEL;

  /** Alice's certificate expires this long after {@link TestParty#NOW}. */
  private static final Duration VALIDITY = Duration.ofDays(1);

  static final ProtocolAddress ALICE = FuzzFixture.ALICE;
  static final ProtocolAddress BOB = FuzzFixture.BOB;
  static final UUID DISTRIBUTION_ID = UUID.fromString("5ea1ed00-4c1e-4a55-9e11-0123456789ab");

  /**
   * A sealed message Alice really sent.
   *
   * @param name the seed file name it is written under
   * @param delivered whether Bob has decrypted it in the fixture (so a replay is a duplicate)
   */
  record Sent(String name, byte[] sealed, byte[] plaintext, boolean delivered) {}

  private static final class Holder {
    static final SealedSenderFuzzFixture INSTANCE = build();
  }

  final ECKeyPair trustRoot;
  final ECKeyPair serverKey;
  final ServerCertificate serverCertificate;
  final SenderCertificate aliceCertificate;
  final IdentityKeyPair aliceIdentity;
  final IdentityKeyPair bobIdentity;
  private final int bobRegistrationId;
  private final byte[] bobSession;
  private final byte[] bobSenderKey;
  private final List<SignedPreKeyRecord> bobSignedPreKeys;
  private final List<KyberPreKeyRecord> bobKyberPreKeys;
  private final List<PreKeyRecord> bobPreKeys;
  private final List<Sent> sent;
  private final Map<String, Map<String, byte[]>> seeds;
  private final List<SenderCertificate> serverSigned;

  private SealedSenderFuzzFixture(Builder b) throws Exception {
    this.trustRoot = b.trustRoot;
    this.serverKey = b.serverKey;
    this.serverCertificate = b.serverCertificate;
    this.aliceCertificate = b.aliceCertificate;
    this.aliceIdentity = b.alice.identity;
    this.bobIdentity = b.bob.identity;
    this.bobRegistrationId = b.bob.store.getLocalRegistrationId();
    this.bobSession = b.bob.sessionBytes(b.alice);
    this.bobSenderKey = b.bob.store.loadSenderKey(ALICE, DISTRIBUTION_ID).serialize();
    this.bobSignedPreKeys = List.copyOf(b.bob.store.loadSignedPreKeys());
    this.bobKyberPreKeys = List.copyOf(b.bob.store.loadKyberPreKeys());
    List<PreKeyRecord> preKeys = new ArrayList<>();
    for (int id = 1; id <= 2; id++) {
      if (b.bob.store.containsPreKey(id)) {
        preKeys.add(b.bob.store.loadPreKey(id));
      }
    }
    this.bobPreKeys = List.copyOf(preKeys);
    this.sent = List.copyOf(b.sent);
    this.seeds = b.seeds;
    List<SenderCertificate> signed = new ArrayList<>();
    for (byte[] cert : b.serverSigned) {
      try {
        signed.add(SenderCertificate.fromBytes(cert));
      } catch (org.sotto.protocol.InvalidCertificateException e) {
        // A deliberately malformed seed: it cannot validate either.
      }
    }
    this.serverSigned = List.copyOf(signed);
  }

  static SealedSenderFuzzFixture get() {
    return Holder.INSTANCE;
  }

  /** Builds everything in one pass over the seeded generator, seeds included. */
  private static final class Builder {
    final SecureRandom rng = FuzzFixture.seededRandom(SEED);
    final TestParty alice = new TestParty(rng, ALICE, IdentityKeyPair.generate(rng));
    final TestParty bob = new TestParty(rng, BOB, IdentityKeyPair.generate(rng));
    final ECKeyPair trustRoot = ECKeyPair.generate(rng);
    final ECKeyPair serverKey = ECKeyPair.generate(rng);
    final ServerCertificate serverCertificate =
        ServerCertificate.create(1, serverKey.publicKey(), trustRoot.privateKey(), rng);
    final SenderCertificate aliceCertificate;
    final List<Sent> sent = new ArrayList<>();
    final Map<String, Map<String, byte[]>> seeds = new LinkedHashMap<>();
    final List<byte[]> serverSigned = new ArrayList<>();

    Builder() throws Exception {
      aliceCertificate = certificate(ALICE, alice.identity.identityKey(), expiration(), rng);
    }

    long expiration() {
      return TestParty.NOW.plus(VALIDITY).toEpochMilli();
    }

    SenderCertificate certificate(
        ProtocolAddress address, IdentityKey key, long expirationMs, SecureRandom random)
        throws Exception {
      SenderCertificate cert =
          SenderCertificate.create(
              address.name(),
              address.deviceId(),
              key,
              expirationMs,
              serverCertificate,
              serverKey.privateKey(),
              random);
      serverSigned.add(cert.serialize());
      return cert;
    }

    SealedSessionCipher cipher(TestParty party) {
      return new SealedSessionCipher(party.store, party.address);
    }

    Sent send(String name, boolean delivered) throws Exception {
      byte[] plaintext = name.getBytes(StandardCharsets.UTF_8);
      byte[] sealed = cipher(alice).encrypt(BOB, aliceCertificate, plaintext, TestParty.NOW, rng);
      if (delivered) {
        cipher(bob).decrypt(sealed, trustRoot.publicKey(), TestParty.NOW, rng);
      }
      Sent s = new Sent(name, sealed, plaintext, delivered);
      sent.add(s);
      return s;
    }

    Sent sendToGroup(String name) throws Exception {
      byte[] plaintext = name.getBytes(StandardCharsets.UTF_8);
      SenderKeyMessage message =
          new GroupCipher(alice.store).encrypt(ALICE, DISTRIBUTION_ID, plaintext, rng);
      UnidentifiedSenderMessageContent content =
          UnidentifiedSenderMessageContent.create(
              message.type(),
              aliceCertificate,
              message.serialize(),
              ContentHint.RESENDABLE,
              new byte[] {1, 2, 3});
      Sent s = new Sent(name, cipher(alice).encrypt(BOB, content, rng), plaintext, false);
      sent.add(s);
      return s;
    }

    void build() throws Exception {
      alice.startSessionWith(bob, true);
      send("prekey-delivered", true);
      Sent prekeyUndelivered = send("prekey-undelivered", false);
      alice.decrypt(bob, bob.encrypt(alice, "reply"));
      send("whisper-delivered", true);
      Sent whisper = send("whisper-undelivered", false);
      new GroupSessionBuilder(bob.store)
          .process(ALICE, new GroupSessionBuilder(alice.store).create(ALICE, DISTRIBUTION_ID, rng));
      Sent group = sendToGroup("group-undelivered");

      byte[] inner = innerOf(whisper.sealed());
      Map<String, byte[]> decrypt = new LinkedHashMap<>();
      for (Sent s : sent) {
        decrypt.put(s.name(), s.sealed());
      }
      decrypt.put("version-0x01", SeedBytes.withFirstByte(whisper.sealed(), 0x01));
      decrypt.put("version-2", SeedBytes.withFirstByte(whisper.sealed(), 0x22));
      decrypt.put("bad-content-mac", SeedBytes.flipLastByte(whisper.sealed()));
      decrypt.put("truncated", Arrays.copyOf(whisper.sealed(), 60));
      decrypt.put(
          "expired-certificate",
          sealAsAlice(
              inner,
              CiphertextMessage.WHISPER_TYPE,
              certificate(ALICE, alice.identity.identityKey(), 0, rng),
              alice.identity));
      RogueServer rogue = new RogueServer(rng);
      decrypt.put(
          "other-trust-root",
          sealAsAlice(
              inner,
              CiphertextMessage.WHISPER_TYPE,
              rogue.certificate(ALICE, alice.identity.identityKey(), expiration(), rng),
              alice.identity));
      IdentityKeyPair mallory = IdentityKeyPair.generate(rng);
      decrypt.put(
          "sealed-by-another-identity",
          sealAsAlice(inner, CiphertextMessage.WHISPER_TYPE, aliceCertificate, mallory));
      decrypt.put(
          "certificate-for-another-identity",
          sealAsAlice(
              inner,
              CiphertextMessage.WHISPER_TYPE,
              certificate(ALICE, mallory.identityKey(), expiration(), rng),
              mallory));
      decrypt.put(
          "self-send",
          sealAsAlice(
              inner,
              CiphertextMessage.WHISPER_TYPE,
              certificate(BOB, bob.identity.identityKey(), expiration(), rng),
              bob.identity));
      decrypt.put(
          "plaintext-content",
          sealAsAlice(
              new byte[] {(byte) 0xC0, 0x01},
              UnidentifiedSenderMessageContent.PLAINTEXT_CONTENT_TYPE,
              aliceCertificate,
              alice.identity));
      decrypt.put(
          "prekey-as-whisper",
          sealAsAlice(
              innerOf(prekeyUndelivered.sealed()),
              CiphertextMessage.WHISPER_TYPE,
              aliceCertificate,
              alice.identity));
      seeds.put("decrypt_anyBytes_yieldsGenuinePlaintextOrFailsTypedWithoutStateChange", decrypt);

      Map<String, byte[]> content = new LinkedHashMap<>();
      content.put("genuine-whisper", contentOf(whisper.sealed()));
      content.put("genuine-group-with-hint", contentOf(group.sealed()));
      content.put("unknown-type", editContent(contentOf(whisper.sealed()), b -> b.setType(5)));
      content.put(
          "no-certificate",
          editContent(contentOf(whisper.sealed()), b -> b.clearSenderCertificate()));
      content.put(
          "bad-certificate",
          editContent(
              contentOf(whisper.sealed()),
              b -> b.setSenderCertificate(ByteString.copyFrom(new byte[] {0x0a, 0x01}))));
      seeds.put("contentFromBytes_anyBytes_roundTripsOrThrowsInvalidMessageOrCertificate", content);

      Map<String, byte[]> senders = new LinkedHashMap<>();
      byte[] genuine = aliceCertificate.serialize();
      senders.put("genuine", genuine);
      senders.put(
          "phone-number",
          resign(genuine, b -> b.setSenderE164(ByteString.copyFromUtf8("+15551234567"))));
      UUID uuid = UUID.fromString(ALICE.name());
      byte[] uuidBytes =
          java.nio.ByteBuffer.allocate(16)
              .putLong(uuid.getMostSignificantBits())
              .putLong(uuid.getLeastSignificantBits())
              .array();
      senders.put(
          "uuid-bytes", resign(genuine, b -> b.setUuidBytes(ByteString.copyFrom(uuidBytes))));
      senders.put("known-signer-id", resign(genuine, b -> b.setSignerId(0x7357C357)));
      senders.put("unknown-signer-id", resign(genuine, b -> b.setSignerId(5)));
      senders.put("device-0", resign(genuine, b -> b.setSenderDevice(0)));
      senders.put("expiration-max", resign(genuine, b -> b.setExpires(-1L)));
      seeds.put(
          "senderCertificateFromBytes_anyBytes_roundTripsOrThrowsInvalidCertificate", senders);

      Map<String, byte[]> servers = new LinkedHashMap<>();
      servers.put("genuine", serverCertificate.serialize());
      servers.put(
          "revoked",
          ServerCertificate.create(0xDEADC357, serverKey.publicKey(), trustRoot.privateKey(), rng)
              .serialize());
      servers.put(
          "no-key-id",
          SealedProtos.ServerCertificate.newBuilder()
              .setCertificate(
                  SealedProtos.ServerCertificate.Certificate.newBuilder()
                      .setKey(ByteString.copyFrom(serverKey.publicKey().serialize()))
                      .build()
                      .toByteString())
              .setSignature(ByteString.copyFrom(new byte[64]))
              .build()
              .toByteArray());
      servers.put("truncated", Arrays.copyOf(serverCertificate.serialize(), 40));
      seeds.put(
          "serverCertificateFromBytes_anyBytes_roundTripsOrThrowsInvalidCertificate", servers);
    }

    /** The content inside one of Alice's genuine sealed messages (Bob opens it). */
    byte[] contentOf(byte[] sealed) throws Exception {
      return cipher(bob)
          .decryptToContent(sealed, trustRoot.publicKey(), TestParty.NOW.toEpochMilli())
          .serialize();
    }

    byte[] innerOf(byte[] sealed) throws Exception {
      return UnidentifiedSenderMessageContent.fromBytes(contentOf(sealed)).content();
    }

    /**
     * Seals content a well-behaved sender never would (the certificate need not be the sealer's).
     */
    byte[] sealAsAlice(
        byte[] inner, int type, SenderCertificate certificate, IdentityKeyPair sealer)
        throws Exception {
      UnidentifiedSenderMessageContent content =
          UnidentifiedSenderMessageContent.create(
              type, certificate, inner, ContentHint.DEFAULT, null);
      return SealedTestSupport.sealUnchecked(
          bob.identity.identityKey(), sealer, content.serialize(), rng);
    }

    byte[] resign(byte[] serialized, CertificateEdit edit) throws Exception {
      SealedProtos.SenderCertificate outer = SealedProtos.SenderCertificate.parseFrom(serialized);
      SealedProtos.SenderCertificate.Certificate.Builder inner =
          SealedProtos.SenderCertificate.Certificate.parseFrom(outer.getCertificate()).toBuilder();
      edit.apply(inner);
      byte[] certificate = inner.build().toByteArray();
      ECPrivateKey signer = serverKey.privateKey();
      byte[] resigned =
          SealedProtos.SenderCertificate.newBuilder()
              .setCertificate(ByteString.copyFrom(certificate))
              .setSignature(ByteString.copyFrom(signer.calculateSignature(certificate, rng)))
              .build()
              .toByteArray();
      serverSigned.add(resigned);
      return resigned;
    }

    byte[] editContent(byte[] content, ContentEdit edit) throws Exception {
      SealedProtos.UnidentifiedSenderMessage.Message.Builder b =
          SealedProtos.UnidentifiedSenderMessage.Message.parseFrom(content).toBuilder();
      edit.apply(b);
      return b.build().toByteArray();
    }
  }

  private interface CertificateEdit {
    void apply(SealedProtos.SenderCertificate.Certificate.Builder b);
  }

  private interface ContentEdit {
    void apply(SealedProtos.UnidentifiedSenderMessage.Message.Builder b);
  }

  /** A second server, under a trust root Bob does not trust. */
  private static final class RogueServer {
    final ECKeyPair key;
    final ServerCertificate certificate;

    RogueServer(SecureRandom rng) {
      ECKeyPair root = ECKeyPair.generate(rng);
      key = ECKeyPair.generate(rng);
      certificate = ServerCertificate.create(1, key.publicKey(), root.privateKey(), rng);
    }

    SenderCertificate certificate(
        ProtocolAddress address, IdentityKey identity, long expirationMs, SecureRandom rng)
        throws Exception {
      return SenderCertificate.create(
          address.name(),
          address.deviceId(),
          identity,
          expirationMs,
          certificate,
          key.privateKey(),
          rng);
    }
  }

  private static SealedSenderFuzzFixture build() {
    try {
      Builder b = new Builder();
      b.build();
      return new SealedSenderFuzzFixture(b);
    } catch (Exception e) {
      throw new AssertionError("cannot build the sealed sender fuzz fixture", e);
    }
  }

  /** The seeds of every {@link SealedSenderFuzzTest} method: method name → file name → bytes. */
  Map<String, Map<String, byte[]>> seeds() {
    return seeds;
  }

  /** Every sender certificate the fixture's server signed (issued ones and edited seeds). */
  List<SenderCertificate> serverSigned() {
    return serverSigned;
  }

  /** Every genuine sealed message Alice sent, in order. */
  List<Sent> sent() {
    return sent;
  }

  /** The trust root Bob validates certificates with. */
  ECPublicKey trustRootPublic() {
    return trustRoot.publicKey();
  }

  /** The genuine, not yet delivered message with this plaintext, or null. */
  Sent undeliveredWithPlaintext(byte[] plaintext) {
    for (Sent s : sent) {
      if (!s.delivered() && Arrays.equals(s.plaintext(), plaintext)) {
        return s;
      }
    }
    return null;
  }

  byte[] bobSessionBytes() {
    return bobSession.clone();
  }

  byte[] bobSenderKeyBytes() {
    return bobSenderKey.clone();
  }

  List<PreKeyRecord> bobPreKeys() {
    return bobPreKeys;
  }

  List<KyberPreKeyRecord> bobKyberPreKeys() {
    return bobKyberPreKeys;
  }

  /** A fresh store holding Bob's snapshot: identity, trust, session, prekeys and sender key. */
  InMemorySignalProtocolStore newBobStore() {
    InMemorySignalProtocolStore store =
        new InMemorySignalProtocolStore(bobIdentity, bobRegistrationId);
    store.saveIdentity(ALICE, aliceIdentity.identityKey());
    try {
      store.storeSession(ALICE, SessionRecord.fromBytes(bobSession));
      store.storeSenderKey(ALICE, DISTRIBUTION_ID, SenderKeyRecord.fromBytes(bobSenderKey));
    } catch (InvalidRecordException e) {
      throw new AssertionError("fixture record does not parse", e);
    }
    bobSignedPreKeys.forEach(r -> store.storeSignedPreKey(r.id(), r));
    bobKyberPreKeys.forEach(r -> store.storeKyberPreKey(r.id(), r));
    bobPreKeys.forEach(r -> store.storePreKey(r.id(), r));
    return store;
  }
}
