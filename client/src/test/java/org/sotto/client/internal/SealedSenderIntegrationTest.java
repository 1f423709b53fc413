package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.api.proto.Envelope;
import org.sotto.client.IncomingMessage;
import org.sotto.client.ReceiveError;
import org.sotto.client.SottoClient;
import org.sotto.client.transport.DeliveryConnection;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.sealed.SealedSessionCipher;
import org.sotto.protocol.sealed.SenderCertificate;
import org.sotto.protocol.sealed.ServerCertificate;
import org.sotto.server.testing.TestServer;

/**
 * Sealed sender between SDK clients through a real in-process server: what the server stores, the
 * fallback when the delivery token is refused, certificates from another root, and redelivery.
 */
class SealedSenderIntegrationTest {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final int TYPE_UNIDENTIFIED = Envelope.Type.UNIDENTIFIED_SENDER_VALUE;
  private static final AtomicInteger names = new AtomicInteger();

  private static TestServer server;

  @TempDir Path dir;

  private final List<SottoClient> open = new ArrayList<>();
  private final SecureRandom rng = new SecureRandom();

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @AfterEach
  void closeClients() throws Exception {
    for (SottoClient c : open) {
      c.close();
    }
  }

  private DefaultSottoClient register(String base) throws Exception {
    String handle = base + names.incrementAndGet();
    DefaultSottoClient c =
        DefaultSottoClient.register(
            server.uri(), handle, dir.resolve(handle), null, Clock.systemUTC(), rng);
    open.add(c);
    return c;
  }

  private static List<String> receive(DefaultSottoClient c) throws Exception {
    return c.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).stream()
        .map(IncomingMessage::text)
        .toList();
  }

  /** One message each way, so each knows the other's profile key. */
  private static void introduce(DefaultSottoClient alice, DefaultSottoClient bob) throws Exception {
    alice.send(bob.accountId(), "hi bob");
    assertEquals(List.of("hi bob"), receive(bob));
    bob.send(alice.accountId(), "hi alice");
    assertEquals(List.of("hi alice"), receive(alice));
    // Alice's delivery receipt for "hi alice" waits for Bob: take it, so queues start empty.
    assertEquals(List.of(), receive(bob));
  }

  @Test
  void send_afterOneMessageEachWay_isSealedWithoutSourceOnTheServer() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    assertArrayEquals(
        org.sotto.client.transport.ServerApi.create(server.uri()).config().trustRoot(),
        bob.sealedSender().pinnedTrustRoot().orElseThrow().serialize(),
        "registration pins the server's trust root");

    // The first message cannot be sealed: Alice does not know Bob's profile key yet.
    alice.send(bob.accountId(), "first");
    List<ServerEnvelopes.Queued> first = ServerEnvelopes.queuedFor(server, bob.accountId());
    assertEquals(1, first.size());
    assertEquals(alice.accountId().toString(), first.get(0).sourceAccount());
    assertEquals(List.of("first"), receive(bob));
    bob.send(alice.accountId(), "reply");
    assertEquals(List.of("reply"), receive(alice));
    assertEquals(List.of(), receive(bob), "only Alice's delivery receipt was queued");

    alice.send(bob.accountId(), "sealed one");
    alice.send(bob.accountId(), "sealed two");
    bob.send(alice.accountId(), "sealed back");

    List<ServerEnvelopes.Queued> toBob = ServerEnvelopes.queuedFor(server, bob.accountId());
    assertEquals(2, toBob.size());
    for (ServerEnvelopes.Queued q : toBob) {
      assertEquals(TYPE_UNIDENTIFIED, q.type());
      assertNull(q.sourceAccount());
    }
    List<ServerEnvelopes.Queued> toAlice = ServerEnvelopes.queuedFor(server, alice.accountId());
    assertEquals(1, toAlice.size());
    assertEquals(TYPE_UNIDENTIFIED, toAlice.get(0).type());
    assertNull(toAlice.get(0).sourceAccount());

    List<IncomingMessage> got = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(List.of("sealed one", "sealed two"), got.stream().map(m -> m.text()).toList());
    for (IncomingMessage m : got) {
      assertEquals(alice.accountId(), m.sender(), "the sender comes from the certificate");
      assertEquals(alice.deviceId(), m.senderDevice());
      assertEquals(alice.accountId(), m.conversation());
    }
    assertEquals(List.of("sealed back"), receive(alice));
    assertEquals(5, bob.history(alice.accountId().toString(), 100).size());
  }

  @Test
  void send_afterRecipientRotatedProfileKey_fallsBackToNormalSendAndDelivers() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    introduce(alice, bob);
    assertTrue(alice.profiles().accessKeyOf(bob.accountId()).isPresent());

    bob.profiles().rotateKey(); // Bob's token on the server changes; Alice holds the old key.
    alice.send(bob.accountId(), "after rotation");

    List<ServerEnvelopes.Queued> queued = ServerEnvelopes.queuedFor(server, bob.accountId());
    assertEquals(1, queued.size());
    assertEquals(alice.accountId().toString(), queued.get(0).sourceAccount());
    assertTrue(alice.profiles().accessKeyOf(bob.accountId()).isEmpty(), "old key forgotten");
    assertEquals(List.of("after rotation"), receive(bob));

    // Bob's next message brings his new key, and Alice seals again.
    bob.send(alice.accountId(), "new key inside");
    assertEquals(List.of("new key inside"), receive(alice));
    assertEquals(List.of(), receive(bob), "only Alice's delivery receipt was queued");
    alice.send(bob.accountId(), "sealed again");
    queued = ServerEnvelopes.queuedFor(server, bob.accountId());
    assertEquals(1, queued.size());
    assertEquals(TYPE_UNIDENTIFIED, queued.get(0).type());
    assertEquals(List.of("sealed again"), receive(bob));
  }

  @Test
  void receive_sealedWithCertificateFromAnotherRoot_isRejectedAndSessionStaysIntact()
      throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    introduce(alice, bob);
    ProtocolAddress aliceAddress = new ProtocolAddress(alice.accountId().toString(), 1);
    ProtocolAddress bobAddress = new ProtocolAddress(bob.accountId().toString(), 1);

    // A whole certificate chain under a root Bob never pinned, for Alice's real identity.
    ECKeyPair foreignRoot = ECKeyPair.generate(rng);
    ECKeyPair foreignServer = ECKeyPair.generate(rng);
    ServerCertificate foreign =
        ServerCertificate.create(7, foreignServer.publicKey(), foreignRoot.privateKey(), rng);
    SenderCertificate forged =
        SenderCertificate.create(
            alice.accountId().toString(),
            1,
            alice.protocolStore().getIdentityKeyPair().identityKey(),
            System.currentTimeMillis() + Duration.ofHours(1).toMillis(),
            foreign,
            foreignServer.privateKey(),
            rng);
    SealedSessionCipher aliceSealed = new SealedSessionCipher(alice.protocolStore(), aliceAddress);
    byte[] sealed =
        aliceSealed.encrypt(bobAddress, forged, bytes("forged"), java.time.Instant.now(), rng);
    EnvelopeProcessor.Outcome outcome = bob.process(sealedEnvelope(sealed));

    EnvelopeProcessor.Failed failed = assertInstanceOf(EnvelopeProcessor.Failed.class, outcome);
    assertEquals(ReceiveError.Kind.INVALID_SENDER_CERTIFICATE, failed.error().kind());
    assertTrue(failed.ack());

    // The same kind of envelope with the server's real certificate is accepted...
    byte[] genuine =
        aliceSealed.encrypt(
            bobAddress,
            alice.sealedSender().certificate(),
            Content.of("genuine", System.currentTimeMillis(), null).encode(),
            java.time.Instant.now(),
            rng);
    assertInstanceOf(EnvelopeProcessor.Stored.class, bob.process(sealedEnvelope(genuine)));
    // ...and the session still works for ordinary traffic.
    alice.send(bob.accountId(), "still fine");
    assertEquals(List.of("still fine"), receive(bob));
  }

  @Test
  void receive_sealedRedeliveredAfterMissingAck_isStoredOnceAndAcked() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    introduce(alice, bob);
    for (int i = 0; i < 3; i++) {
      alice.send(bob.accountId(), "twice " + i);
    }
    assertTrue(
        ServerEnvelopes.queuedFor(server, bob.accountId()).stream()
            .allMatch(q -> q.type() == TYPE_UNIDENTIFIED));

    AtomicInteger firstPass = new AtomicInteger();
    drain(
        bob,
        e -> {
          if (bob.process(e) instanceof EnvelopeProcessor.Stored) {
            firstPass.incrementAndGet();
          }
        });
    assertEquals(3, firstPass.get());

    assertEquals(List.of(), bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null));
    // Two from the introduction, three sealed ones: each stored once.
    assertEquals(5, bob.history(alice.accountId().toString(), 100).size());
    assertEquals(List.of(), ServerEnvelopes.queuedFor(server, bob.accountId()));
  }

  @Test
  void certificate_reusedUntilCloseToExpiry_thenFetchedAgain() throws Exception {
    MutableClock clock = new MutableClock(java.time.Instant.now());
    String handle = "carol" + names.incrementAndGet();
    DefaultSottoClient carol =
        DefaultSottoClient.register(server.uri(), handle, dir.resolve(handle), null, clock, rng);
    open.add(carol);

    SenderCertificate first = carol.sealedSender().certificate();
    assertEquals(carol.accountId().toString(), first.senderUuid());
    long lifetime = first.expiration() - clock.millis();
    clock.advance(
        Duration.ofMillis(lifetime).minus(SealedSender.CERTIFICATE_REFRESH_MARGIN).minusMinutes(5));
    assertTrue(first == carol.sealedSender().certificate(), "still fresh: no new fetch");

    clock.advance(Duration.ofMinutes(10)); // Now within the margin of its expiry.
    SenderCertificate second = carol.sealedSender().certificate();
    assertTrue(first != second);
    assertTrue(!java.util.Arrays.equals(first.serialize(), second.serialize()));
  }

  private Envelope sealedEnvelope(byte[] content) {
    byte[] guid = new byte[16];
    rng.nextBytes(guid);
    return Envelope.newBuilder()
        .setGuid(ByteString.copyFrom(guid))
        .setType(Envelope.Type.UNIDENTIFIED_SENDER)
        .setDestinationDevice(1)
        .setClientTimestamp(System.currentTimeMillis())
        .setServerTimestamp(System.currentTimeMillis())
        .setContent(ByteString.copyFrom(content))
        .build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Connects as {@code client}'s device without acking, hands each envelope to {@code sink}. */
  private static void drain(DefaultSottoClient client, Consumer<Envelope> sink) throws Exception {
    CountDownLatch empty = new CountDownLatch(1);
    DeliveryConnection c =
        DeliveryConnection.open(
            client.api(),
            client.account().credentials(),
            new DeliveryConnection.Listener() {
              @Override
              public void onEnvelope(Envelope envelope) {
                sink.accept(envelope);
              }

              @Override
              public void onQueueEmpty() {
                empty.countDown();
              }
            });
    try {
      assertTrue(empty.await(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    } finally {
      c.close();
    }
  }
}
