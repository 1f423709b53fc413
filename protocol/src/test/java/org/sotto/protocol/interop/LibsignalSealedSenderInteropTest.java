package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sealed sender v1 between Sotto and libsignal 0.90.0 through the JSON-lines peers: sealed
 * PreKeySignalMessages and SignalMessages in both directions with replies, certificates issued on
 * the sender's side under a trust root made by either side, and the refusals (expired certificate,
 * wrong trust root, self-send, duplicate, tampering) with the same error kind on both sides and
 * nothing stored. In each {@link Direction} the initiator's implementation sends first; its peer
 * receives, validates the certificate its counterpart issued, and replies sealed.
 */
class LibsignalSealedSenderInteropTest extends LibsignalInteropTestBase {
  /** Version byte of a sealed sender v1 message: required version 1, current version 1. */
  private static final int SEALED_V1 = 0x11;

  /** An expiration far in the past, so that tests choose the validation time explicitly. */
  private static final long EXPIRATION = 1_700_000_000_000L;

  private final AtomicInteger labels = new AtomicInteger();

  /** One identity ({@code who}) in one peer process. */
  private record Member(Party party, String who) {
    PeerProcess process() {
      return party.process();
    }
  }

  /** A member with its sealed-sender certificate. */
  private record Sealer(Member member, Cert cert) {
    PeerProcess process() {
      return member.process();
    }

    String who() {
      return member.who();
    }

    Party party() {
      return member.party();
    }

    @Override
    public String toString() {
      return member.party().toString();
    }
  }

  /** A certificate from {@code sealed_make_cert} and the trust root it is chained to. */
  private record Cert(byte[] senderCertificate, byte[] trustRootPublic, long expiration) {}

  /** Where the trust root of the sender's certificate comes from. */
  enum RootOrigin {
    /** The sender's process makes a new root while issuing the certificate. */
    SENDER_SIDE,
    /**
     * The recipient's process makes the root (a {@code keypair}) and hands its private key over.
     */
    RECIPIENT_SIDE
  }

  static Stream<Arguments> directionsAndRoots() {
    return Stream.of(Direction.values())
        .flatMap(d -> Stream.of(RootOrigin.values()).map(r -> Arguments.of(d, r)));
  }

  @ParameterizedTest
  @MethodSource("directionsAndRoots")
  void sealed_preKeyThenRepliesBothWays_decryptWithSenderFromCertificate(
      Direction d, RootOrigin origin) {
    Member ma = member(initiator(d), "alice");
    Party a = ma.party();
    Member mb = member(responder(d), "bob");
    Party b = mb.party();
    Sealer alice = certified(ma, mb, origin);
    Sealer bob = certified(mb, ma, origin);
    a.startSession(b, true);

    byte[] first = seal(alice, b, "first, sealed PreKey message");
    byte[] second = seal(alice, b, "second, still PreKey inside");
    open(bob, alice, first, "first, sealed PreKey message", EXPIRATION);
    assertTrue(b.hasSession(a), "the sealed PreKey message set up the session");
    open(bob, alice, second, "second, still PreKey inside", EXPIRATION);

    open(alice, bob, seal(bob, a, "sealed reply"), "sealed reply", EXPIRATION);
    open(
        bob, alice, seal(alice, b, "sealed, whisper inside"), "sealed, whisper inside", EXPIRATION);
    // Sealed and unsealed messages share the session.
    a.sendExpectingType(b, utf8("unsealed"), Ciphertext.WHISPER, "unsealed after sealed");
    b.sendExpectingType(a, utf8("unsealed reply"), Ciphertext.WHISPER, "unsealed reply");
    open(alice, bob, seal(bob, a, "sealed again"), "sealed again", EXPIRATION);
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void sealed_expiredCertificate_rejectedAsInvalidMessageThenAcceptedInTime(Direction d) {
    Member ma = member(initiator(d), "alice");
    Party a = ma.party();
    Member mb = member(responder(d), "bob");
    Party b = mb.party();
    Sealer alice = certified(ma, mb, RootOrigin.SENDER_SIDE);
    Sealer bob = certified(mb, ma, RootOrigin.SENDER_SIDE);
    a.startSession(b, true);
    byte[] sealed = seal(alice, b, "in time?");

    assertEquals(
        "invalid_message",
        openFailure(bob, sealed, alice.cert().trustRootPublic(), EXPIRATION + 1),
        "one millisecond after the expiration, on " + b.implementation());
    assertFalse(b.hasSession(a), "a refused message must not set up a session");
    open(bob, alice, sealed, "in time?", EXPIRATION);
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void sealed_wrongTrustRoot_rejectedAsInvalidMessageAndNothingStored(Direction d) {
    Member ma = member(initiator(d), "alice");
    Party a = ma.party();
    Member mb = member(responder(d), "bob");
    Party b = mb.party();
    Sealer alice = certified(ma, mb, RootOrigin.SENDER_SIDE);
    Sealer bob = certified(mb, ma, RootOrigin.SENDER_SIDE);
    a.startSession(b, true);
    byte[] sealed = seal(alice, b, "from a trusted server?");
    byte[] otherRoot = b64(b.process().ok("keypair").path("publicKey"));

    assertEquals(
        "invalid_message",
        openFailure(bob, sealed, otherRoot, EXPIRATION),
        "another trust root, on " + b.implementation());
    assertEquals(
        "invalid_message",
        openFailure(bob, sealed, bob.cert().trustRootPublic(), EXPIRATION),
        "the recipient's own (unrelated) trust root, on " + b.implementation());
    assertFalse(b.hasSession(a), "a refused message must not set up a session");
    open(bob, alice, sealed, "from a trusted server?", EXPIRATION);
  }

  /**
   * A device with the recipient's own account and device id (a clone with its own keys) seals a
   * message to it: refused as a self-send before the inner message is looked at. The same done by
   * device 2 of that account is no self-send and decrypts (the control that makes the refusal mean
   * something).
   */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void sealed_fromRecipientsOwnAddress_rejectedAsSelfSendButOtherDeviceAccepted(Direction d) {
    Member mb = member(responder(d), "bob");
    Party b = mb.party();
    String cloneWho = label("bob-clone");
    Member mclone = new Member(Party.reRegister(initiator(d), cloneWho, b), cloneWho);
    Party clone = mclone.party();
    Sealer sender = certified(mclone, mb, RootOrigin.SENDER_SIDE);
    Sealer bob = certified(mb, mclone, RootOrigin.SENDER_SIDE);
    clone.startSession(b, true);
    byte[] sealed = seal(sender, b, "is it me?");
    assertEquals(
        "invalid_message",
        openFailure(bob, sealed, sender.cert().trustRootPublic(), EXPIRATION),
        "self-send, on " + b.implementation());
    assertFalse(b.hasSession(clone), "a refused message must not set up a session");

    PeerProcess p = initiator(d);
    String otherWho = label("bob-device-2");
    String name = b.address().path("name").asText();
    p.ok("create_identity", "who", otherWho, "name", name, "deviceId", 2);
    p.ok("process_bundle", "who", otherWho, "peer", b.address(), "bundle", b.bundle(true));
    JsonNode cert = p.ok("sealed_make_cert", "who", otherWho, "expiration", EXPIRATION);
    JsonNode ct =
        p.ok(
            "sealed_encrypt",
            "who",
            otherWho,
            "peer",
            b.address(),
            "text",
            "from my other device",
            "senderCertificate",
            cert.path("senderCertificate").asText());
    JsonNode r =
        b.process()
            .ok(
                "sealed_decrypt",
                "who",
                bob.who(),
                "ciphertext",
                ct.path("ciphertext").asText(),
                "trustRoot",
                cert.path("trustRootPublic").asText(),
                "timestamp",
                EXPIRATION);
    assertEquals("from my other device", r.path("text").asText());
    assertEquals(name, r.path("senderUuid").asText());
    assertEquals(2, r.path("senderDeviceId").asInt());
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void sealed_deliveredTwice_secondRejectedAsDuplicate(Direction d) {
    Member ma = member(initiator(d), "alice");
    Party a = ma.party();
    Member mb = member(responder(d), "bob");
    Party b = mb.party();
    Sealer alice = certified(ma, mb, RootOrigin.SENDER_SIDE);
    Sealer bob = certified(mb, ma, RootOrigin.SENDER_SIDE);
    a.startSession(b, true);
    byte[] first = seal(alice, b, "once");
    open(bob, alice, first, "once", EXPIRATION);
    assertEquals(
        "duplicate_message",
        openFailure(bob, first, alice.cert().trustRootPublic(), EXPIRATION),
        "sealed PreKey message again, on " + b.implementation());
    open(alice, bob, seal(bob, a, "reply"), "reply", EXPIRATION);
    byte[] whisper = seal(alice, b, "whisper once");
    open(bob, alice, whisper, "whisper once", EXPIRATION);
    assertEquals(
        "duplicate_message",
        openFailure(bob, whisper, alice.cert().trustRootPublic(), EXPIRATION),
        "sealed SignalMessage again, on " + b.implementation());
  }

  /** Ways to damage a sealed message in transit. */
  enum Tamper {
    /** The last byte: the content's MAC. */
    CONTENT_MAC,
    /** A byte of the ephemeral public key. */
    EPHEMERAL_KEY,
    /** A byte of the encrypted sender identity. */
    ENCRYPTED_STATIC,
    /** The version byte, to sealed sender v2. */
    VERSION;

    byte[] apply(byte[] sealed) {
      byte[] out = sealed.clone();
      switch (this) {
        case CONTENT_MAC -> out[out.length - 1] ^= 0x01;
        // 0x11, then tag 0x0a, length 33, the key type 0x05: byte 4 is the first of u.
        case EPHEMERAL_KEY -> out[4] ^= 0x01;
        // The key's 33 bytes end at index 35; tag 0x12 and length 43 follow, then the data.
        case ENCRYPTED_STATIC -> out[40] ^= 0x01;
        case VERSION -> out[0] = 0x22;
      }
      return out;
    }
  }

  static Stream<Arguments> directionsAndTampers() {
    return Stream.of(Direction.values())
        .flatMap(d -> Stream.of(Tamper.values()).map(t -> Arguments.of(d, t)));
  }

  @ParameterizedTest
  @MethodSource("directionsAndTampers")
  void sealed_tampered_rejectedAsInvalidMessageThenGenuineDecrypts(Direction d, Tamper tamper) {
    Member ma = member(initiator(d), "alice");
    Party a = ma.party();
    Member mb = member(responder(d), "bob");
    Party b = mb.party();
    Sealer alice = certified(ma, mb, RootOrigin.SENDER_SIDE);
    Sealer bob = certified(mb, ma, RootOrigin.SENDER_SIDE);
    a.startSession(b, true);
    byte[] sealed = seal(alice, b, "handle with care");
    assertEquals(0x0a, sealed[1], "ephemeral key field tag");
    assertEquals(0x12, sealed[1 + 2 + 33], "encrypted static field tag");
    assertEquals(
        "invalid_message",
        openFailure(bob, tamper.apply(sealed), alice.cert().trustRootPublic(), EXPIRATION),
        tamper + ", on " + b.implementation());
    assertFalse(b.hasSession(a), "a refused message must not set up a session");
    open(bob, alice, sealed, "handle with care", EXPIRATION);
  }

  // ---------------------------------------------------------------------------------------------

  private String label(String role) {
    return "sealed-" + role + "-" + labels.incrementAndGet();
  }

  private Member member(PeerProcess process, String role) {
    String who = label(role);
    return new Member(Party.create(process, who), who);
  }

  /**
   * {@code sender} with a certificate issued by its own process, expiring at {@link #EXPIRATION},
   * under a trust root made as {@code origin} says ({@code recipient}'s process for {@link
   * RootOrigin#RECIPIENT_SIDE}).
   */
  private static Sealer certified(Member sender, Member recipient, RootOrigin origin) {
    JsonNode made;
    if (origin == RootOrigin.RECIPIENT_SIDE) {
      JsonNode root = recipient.process().ok("keypair");
      made =
          sender
              .process()
              .ok(
                  "sealed_make_cert",
                  "who",
                  sender.who(),
                  "trustRootPrivate",
                  b64(root.path("privateKey")),
                  "expiration",
                  EXPIRATION);
      assertArrayEquals(
          b64(root.path("publicKey")),
          b64(made.path("trustRootPublic")),
          sender.party().implementation() + " derived another public key from the trust root");
    } else {
      made = sender.process().ok("sealed_make_cert", "who", sender.who(), "expiration", EXPIRATION);
    }
    assertEquals(EXPIRATION, made.path("expiration").asLong());
    return new Sealer(
        sender,
        new Cert(
            b64(made.path("senderCertificate")), b64(made.path("trustRootPublic")), EXPIRATION));
  }

  private static byte[] seal(Sealer from, Party to, String text) {
    JsonNode r =
        from.process()
            .ok(
                "sealed_encrypt",
                "who",
                from.who(),
                "peer",
                to.address(),
                "text",
                text,
                "senderCertificate",
                from.cert().senderCertificate());
    byte[] sealed = b64(r.path("ciphertext"));
    assertEquals(SEALED_V1, sealed[0] & 0xFF, "version byte from " + from);
    return sealed;
  }

  /** {@code to} opens {@code sealed} at {@code timestamp} and must find {@code from} and text. */
  private static void open(Sealer to, Sealer from, byte[] sealed, String text, long timestamp) {
    JsonNode r =
        to.process()
            .ok(
                "sealed_decrypt",
                "who",
                to.who(),
                "ciphertext",
                sealed,
                "trustRoot",
                from.cert().trustRootPublic(),
                "timestamp",
                timestamp);
    assertEquals(text, r.path("text").asText(), "plaintext at " + to);
    assertArrayEquals(utf8(text), b64(r.path("plaintext")), "plaintext bytes at " + to);
    JsonNode address = from.party().address();
    assertEquals(address.path("name").asText(), r.path("senderUuid").asText(), "sender UUID");
    assertEquals(address.path("deviceId").asInt(), r.path("senderDeviceId").asInt(), "device");
  }

  private static String openFailure(Sealer to, byte[] sealed, byte[] trustRoot, long timestamp) {
    return to.process()
        .failure(
            "sealed_decrypt",
            "who",
            to.who(),
            "ciphertext",
            sealed,
            "trustRoot",
            trustRoot,
            "timestamp",
            timestamp);
  }

  private static byte[] b64(JsonNode node) {
    return Base64.getDecoder().decode(node.asText());
  }
}
