package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.proto.Envelope;
import org.sotto.client.HistoryEntry;
import org.sotto.client.IncomingMessage;
import org.sotto.client.ReceiveError;
import org.sotto.client.SottoClient;
import org.sotto.client.UntrustedIdentityException;
import org.sotto.client.transport.DeliveryConnection;
import org.sotto.server.testing.TestServer;

/** Two or more SDK clients talking through a real in-process server (with proof-of-work). */
class SottoClientIntegrationTest {
  /** Small but nonzero, so registration really solves a proof-of-work. */
  private static final int POW_BITS = 8;

  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger names = new AtomicInteger();

  private static TestServer server;

  @TempDir Path dir;

  private final List<SottoClient> open = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start(c -> c.toBuilder().powBits(POW_BITS).build());
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

  private static String handle(String base) {
    return base + names.incrementAndGet();
  }

  private DefaultSottoClient register(String handle, Path folder, Clock clock) throws Exception {
    DefaultSottoClient c =
        DefaultSottoClient.register(server.uri(), handle, folder, null, clock, new SecureRandom());
    open.add(c);
    return c;
  }

  private DefaultSottoClient register(String handle) throws Exception {
    return register(handle, dir.resolve(handle), Clock.systemUTC());
  }

  @Test
  void send_hundredMessagesBothWays_allDecryptInOrderAndAreInHistory() throws Exception {
    String a = handle("alice");
    String b = handle("bob");
    DefaultSottoClient alice = register(a);
    DefaultSottoClient bob = register(b);
    Inbox aliceInbox = new Inbox();
    Inbox bobInbox = new Inbox();
    alice.startReceiving(aliceInbox);
    bob.startReceiving(bobInbox);

    List<String> toBob = IntStream.range(0, 100).mapToObj(i -> "to bob " + i).toList();
    List<String> toAlice = IntStream.range(0, 100).mapToObj(i -> "to alice " + i).toList();
    for (int i = 0; i < 100; i++) {
      alice.send(b, toBob.get(i));
      bob.send(a, toAlice.get(i));
    }

    assertEquals(toBob, bobInbox.texts(100));
    assertEquals(toAlice, aliceInbox.texts(100));
    assertTrue(bobInbox.errors.isEmpty() && aliceInbox.errors.isEmpty());
    List<HistoryEntry> history = alice.history(b, 1000);
    assertEquals(200, history.size());
    assertEquals(toBob, textsFrom(history, alice));
    assertEquals(toAlice, textsFrom(history, bob));
    assertEquals(toAlice, textsFrom(bob.history(a, 1000), bob));
  }

  private static List<String> textsFrom(List<HistoryEntry> history, SottoClient author) {
    return history.stream()
        .filter(h -> h.sender().equals(author.accountId()))
        .map(HistoryEntry::text)
        .toList();
  }

  @Test
  void receiveUntilQueueEmpty_afterFiftyWhileOffline_returnsAllInOrder() throws Exception {
    String b = handle("bob");
    DefaultSottoClient alice = register(handle("alice"));
    DefaultSottoClient bob = register(b);
    List<String> sent = IntStream.range(0, 50).mapToObj(i -> "while you were out " + i).toList();
    for (String s : sent) {
      alice.send(b, s);
    }

    List<IncomingMessage> got = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);

    assertEquals(sent, got.stream().map(IncomingMessage::text).toList());
    assertTrue(got.stream().allMatch(m -> m.sender().equals(alice.accountId())));
    assertEquals(sent, textsFrom(bob.history(alice.accountId().toString(), 100), alice));
  }

  @Test
  void receive_redeliveredAfterMissingAck_isStoredOnceAndAcked() throws Exception {
    String b = handle("bob");
    DefaultSottoClient alice = register(handle("alice"));
    DefaultSottoClient bob = register(b);
    for (int i = 0; i < 5; i++) {
      alice.send(b, "twice " + i);
    }
    // First delivery: processed and stored, but never acknowledged.
    AtomicInteger firstPass = new AtomicInteger();
    drain(
        bob,
        e -> {
          if (bob.process(e) instanceof EnvelopeProcessor.Stored) {
            firstPass.incrementAndGet();
          }
        });
    assertEquals(5, firstPass.get());

    // Second delivery of the same envelopes: recognised, acked, not reported again.
    List<IncomingMessage> again = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(List.of(), again);
    assertEquals(5, bob.history(alice.accountId().toString(), 100).size());

    // The acks reached the server: nothing is delivered a third time.
    AtomicInteger third = new AtomicInteger();
    drain(bob, e -> third.incrementAndGet());
    assertEquals(0, third.get());
  }

  /** Connects as {@code client}'s device without acking, hands each envelope to {@code sink}. */
  private static void drain(DefaultSottoClient client, java.util.function.Consumer<Envelope> sink)
      throws Exception {
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

  @Test
  void send_afterRecipientReregistersWithNewIdentity_throwsUntilTrusted() throws Exception {
    String b = handle("bob");
    DefaultSottoClient alice = register(handle("alice"));
    DefaultSottoClient oldBob = register(b);
    alice.send(b, "hello old bob");
    assertEquals(1, oldBob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).size());
    oldBob.unregister();

    DefaultSottoClient newBob = register(b, dir.resolve("new-store"), Clock.systemUTC());
    assertNotEquals(oldBob.accountId(), newBob.accountId());

    assertThrows(UntrustedIdentityException.class, () -> alice.send(b, "not yet"));
    assertThrows(UntrustedIdentityException.class, () -> alice.send(b, "still not"));
    assertEquals(List.of(), newBob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null));
    assertEquals(1, alice.history(b, 100).size(), "a refused message is not in the history");
    assertEquals(
        newBob.safetyNumber(alice.accountId().toString()),
        alice.safetyNumber(b),
        "before trusting, the safety number is the new identity's");

    alice.trust(b);
    alice.send(b, "hello new bob");

    List<IncomingMessage> got = newBob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(List.of("hello new bob"), got.stream().map(IncomingMessage::text).toList());
    assertEquals(alice.safetyNumber(b), newBob.safetyNumber(alice.accountId().toString()));
  }

  @Test
  void open_storesReopenedMidConversation_conversationContinues() throws Exception {
    String a = handle("alice");
    String b = handle("bob");
    char[] passphrase = "correct horse".toCharArray();
    SottoClient alice =
        DefaultSottoClient.register(
            server.uri(), a, dir.resolve("a"), passphrase, Clock.systemUTC(), new SecureRandom());
    SottoClient bob = SottoClient.register(server.uri(), b, dir.resolve("b"), null);
    alice.send(b, "one");
    assertEquals(1, bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).size());
    bob.send(a, "two");
    assertEquals(1, alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).size());
    alice.send(b, "three (not yet received)");
    alice.close();
    bob.close();

    alice = SottoClient.open(dir.resolve("a"), a, passphrase);
    bob = SottoClient.open(dir.resolve("b"), b, null);
    open.add(alice);
    open.add(bob);
    alice.send(b, "four");
    List<IncomingMessage> atBob = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(
        List.of("three (not yet received)", "four"),
        atBob.stream().map(IncomingMessage::text).toList());
    bob.send(a, "five");
    List<IncomingMessage> atAlice = alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(List.of("five"), atAlice.stream().map(IncomingMessage::text).toList());
    assertEquals(
        List.of("one", "two", "three (not yet received)", "four", "five"),
        alice.history(b, 100).stream().map(HistoryEntry::text).toList());
  }

  @Test
  void safetyNumber_bothSides_match() throws Exception {
    String a = handle("alice");
    String b = handle("bob");
    DefaultSottoClient alice = register(a);
    DefaultSottoClient bob = register(b);
    DefaultSottoClient carol = register(handle("carol"));

    String fromAlice = alice.safetyNumber(b);
    assertEquals(60, fromAlice.length());
    assertTrue(fromAlice.chars().allMatch(Character::isDigit));
    assertEquals(fromAlice, bob.safetyNumber(a));
    assertNotEquals(fromAlice, carol.safetyNumber(a));
  }

  @Test
  void receive_undecryptableEnvelope_reportedAckedAndSessionKept() throws Exception {
    String b = handle("bob");
    DefaultSottoClient alice = register(handle("alice"));
    DefaultSottoClient bob = register(b);
    alice.send(b, "before");
    assertEquals(1, bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).size());
    byte[] garbage = new byte[80];
    new SecureRandom().nextBytes(garbage);
    alice
        .api()
        .send(
            bob.accountId(),
            new SendMessagesRequest(
                List.of(
                    new OutgoingMessage(
                        MessageSender.TYPE_CIPHERTEXT,
                        DeviceId.PRIMARY.value(),
                        bob.protocolStore().getLocalRegistrationId(),
                        garbage)),
                System.currentTimeMillis()));
    alice.send(b, "after");

    Inbox errors = new Inbox();
    List<IncomingMessage> got = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, errors);

    assertEquals(List.of("after"), got.stream().map(IncomingMessage::text).toList());
    ReceiveError error = errors.nextError();
    assertEquals(ReceiveError.Kind.UNDECRYPTABLE, error.kind());
    assertEquals(alice.accountId() + ".1", error.source());
    // Acked: not delivered again.
    assertEquals(List.of(), bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, errors));
    assertTrue(errors.errors.isEmpty());
  }

  @Test
  void receiveUntilQueueEmpty_deviceRemovedOrUnregistered_throws() throws Exception {
    DefaultSottoClient bob = register(handle("bob"));
    bob.unregister();
    assertThrows(
        org.sotto.client.SottoException.class,
        () -> bob.receiveUntilQueueEmpty(Duration.ofSeconds(5), null));
  }

  @Test
  void send_unknownHandle_throwsUnknownRecipientWithoutTheHandleInTheMessage() throws Exception {
    DefaultSottoClient alice = register(handle("alice"));
    org.sotto.client.UnknownRecipientException e =
        assertThrows(
            org.sotto.client.UnknownRecipientException.class,
            () -> alice.send("nobody.here", "hello?"));
    assertEquals("nobody.here", e.recipient());
    assertTrue(!e.getMessage().contains("nobody"));
    assertThrows(
        org.sotto.client.UnknownRecipientException.class, () -> alice.send("Not A Handle!", "x"));
  }

  @Test
  void send_andReceive_plaintextNeverOnDiskInTheClear() throws Exception {
    String b = handle("bob");
    DefaultSottoClient alice = register(handle("alice"));
    DefaultSottoClient bob = register(b);
    String secret = "the eagle lands at midnight";
    alice.send(b, secret);
    assertEquals(1, bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).size());
    alice.close();
    bob.close();
    open.clear();

    byte[] needle = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Path> files;
    try (var walk = java.nio.file.Files.walk(dir)) {
      files = walk.filter(java.nio.file.Files::isRegularFile).toList();
    }
    assertTrue(files.size() >= 4, "both stores were written");
    for (Path f : files) {
      byte[] content = java.nio.file.Files.readAllBytes(f);
      assertTrue(indexOf(content, needle) < 0, "plaintext found in " + f.getFileName());
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void send_fromSeveralThreadsAtOnce_everyMessageArrivesInEachThreadsOrder() throws Exception {
    String b = handle("bob");
    DefaultSottoClient alice = register(handle("alice"));
    DefaultSottoClient bob = register(b);
    Inbox inbox = new Inbox();
    bob.startReceiving(inbox);
    int threads = 4;
    int each = 25;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    alice.send(b, thread + ":" + i);
                  }
                  return null;
                }));
      }
      for (var f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<String> got = inbox.texts(threads * each);
    for (int t = 0; t < threads; t++) {
      String prefix = t + ":";
      List<String> expected = IntStream.range(0, each).mapToObj(i -> prefix + i).toList();
      assertEquals(expected, got.stream().filter(x -> x.startsWith(prefix)).toList());
    }
    assertTrue(inbox.errors.isEmpty());
  }

  @Test
  void startReceiving_listenerThrows_laterMessagesStillArrive() throws Exception {
    String b = handle("bob");
    DefaultSottoClient alice = register(handle("alice"));
    DefaultSottoClient bob = register(b);
    Inbox inbox = new Inbox();
    AtomicInteger calls = new AtomicInteger();
    bob.startReceiving(
        new org.sotto.client.MessageListener() {
          @Override
          public void onMessage(IncomingMessage message) {
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("listener bug");
            }
            inbox.onMessage(message);
          }
        });
    alice.send(b, "first");
    alice.send(b, "second");

    assertEquals(List.of("second"), inbox.texts(1));
    assertEquals(2, bob.history(alice.accountId().toString(), 10).size());
  }
}
