package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.client.HistoryEntry;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.MessageStatus;
import org.sotto.client.Receipt;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.TestServer;

/** Delivery/read receipts and disappearing-message timers between two SDK clients. */
class ReceiptsAndTimerIntegrationTest {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger names = new AtomicInteger();

  private static TestServer server;

  @TempDir Path dir;

  private final List<SottoClient> open = new ArrayList<>();

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

  private DefaultSottoClient register(String base, Clock clock) throws Exception {
    String handle = base + names.incrementAndGet();
    DefaultSottoClient c =
        DefaultSottoClient.register(
            server.uri(), handle, dir.resolve(handle), null, clock, new SecureRandom());
    open.add(c);
    return c;
  }

  /** Collects receipts (and fails the test on receive errors through the list). */
  private static final class Receipts implements MessageListener {
    final List<Receipt> receipts = new ArrayList<>();
    final List<Object> errors = new ArrayList<>();
    final List<Duration> timers = new ArrayList<>();

    @Override
    public void onExpireTimerChanged(org.sotto.api.AccountId conversation, Duration timer) {
      timers.add(timer);
    }

    @Override
    public void onMessage(IncomingMessage message) {}

    @Override
    public void onReceipt(Receipt receipt) {
      receipts.add(receipt);
    }

    @Override
    public void onError(org.sotto.client.ReceiveError error) {
      errors.add(error);
    }
  }

  private static HistoryEntry only(List<HistoryEntry> h) {
    assertEquals(1, h.size());
    return h.get(0);
  }

  @Test
  void receipts_deliveredThenRead_updateStatusOfSentMessage() throws Exception {
    DefaultSottoClient alice = register("alice", Clock.systemUTC());
    DefaultSottoClient bob = register("bob", Clock.systemUTC());
    String a = alice.account().handle();
    String b = bob.account().handle();
    long sent = alice.send(b, "did you get this?");
    assertEquals(MessageStatus.SENT, only(alice.history(b, 10)).status());

    // Bob stores the message and sends a delivery receipt by himself.
    List<IncomingMessage> got = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(1, got.size());
    assertNull(only(bob.history(a, 10)).status(), "received messages carry no status");

    Receipts aliceSees = new Receipts();
    List<IncomingMessage> receiptsAsMessages =
        alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, aliceSees);
    assertTrue(receiptsAsMessages.isEmpty(), "a receipt is never a message");
    assertTrue(aliceSees.errors.isEmpty());
    assertEquals(1, aliceSees.receipts.size());
    assertEquals(Receipt.Type.DELIVERY, aliceSees.receipts.get(0).type());
    assertEquals(bob.accountId(), aliceSees.receipts.get(0).from());
    assertEquals(List.of(sent), aliceSees.receipts.get(0).sentTimestamps());
    assertEquals(MessageStatus.DELIVERED, only(alice.history(b, 10)).status());

    bob.markRead(a, List.of(got.get(0).sentAt().toEpochMilli()));
    Receipts again = new Receipts();
    assertTrue(alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, again).isEmpty());
    assertEquals(Receipt.Type.READ, again.receipts.get(0).type());
    assertEquals(MessageStatus.READ, only(alice.history(b, 10)).status());
    // Receiving receipts sends none back, and they are not in Bob's history as messages.
    assertTrue(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).isEmpty());
    assertEquals(1, bob.history(a, 10).size());
  }

  @Test
  void receipts_lateDeliveryAfterRead_neverMovesStatusBack() throws Exception {
    DefaultSottoClient alice = register("alice", Clock.systemUTC());
    DefaultSottoClient bob = register("bob", Clock.systemUTC());
    String a = alice.account().handle();
    long sent = alice.send(bob.account().handle(), "hello");
    bob.markRead(a, List.of(sent));
    bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null); // sends the delivery receipt after
    alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(MessageStatus.READ, only(alice.history(bob.account().handle(), 10)).status());
  }

  @Test
  void expireTimer_setOnOneSide_showsOnOtherAndExpiredMessagesAndFilesGo() throws Exception {
    MutableClock aliceClock = new MutableClock(Instant.now());
    MutableClock bobClock = new MutableClock(Instant.now());
    DefaultSottoClient alice = register("alice", aliceClock);
    DefaultSottoClient bob = register("bob", bobClock);
    String a = alice.account().handle();
    String b = bob.account().handle();
    alice.send(b, "before the timer");

    alice.setExpireTimer(b, Duration.ofHours(1));
    assertEquals(Duration.ofHours(1), alice.expireTimer(b));
    Path file = Files.writeString(dir.resolve("secret.txt"), "gone soon");
    alice.send(b, "this one disappears", List.of(file), null);

    Receipts bobSees = new Receipts();
    List<IncomingMessage> got = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, bobSees);
    assertEquals(2, got.size(), "the timer change is not a message");
    assertEquals(List.of(Duration.ofHours(1)), bobSees.timers);
    assertEquals(Duration.ofHours(1), bob.expireTimer(a));
    Path saved = got.get(1).attachments().get(0).path();
    assertTrue(Files.exists(saved));
    assertEquals(2, bob.history(a, 10).size());

    aliceClock.advance(Duration.ofMinutes(59));
    bobClock.advance(Duration.ofMinutes(59));
    assertEquals(2, alice.history(b, 10).size());
    assertEquals(2, bob.history(a, 10).size());

    aliceClock.advance(Duration.ofMinutes(2));
    bobClock.advance(Duration.ofMinutes(2));
    assertEquals(List.of("before the timer"), texts(alice.history(b, 10)));
    assertEquals(List.of("before the timer"), texts(bob.history(a, 10)));
    assertFalse(Files.exists(saved), "the saved attachment went with its message");
    assertTrue(Files.exists(file), "the sender's own file is never deleted");

    bob.setExpireTimer(a, Duration.ZERO);
    alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(Duration.ZERO, alice.expireTimer(b));
  }

  @Test
  void setExpireTimer_negativeOrTooLong_throwsAndChangesNothing() throws Exception {
    DefaultSottoClient alice = register("alice", Clock.systemUTC());
    DefaultSottoClient bob = register("bob", Clock.systemUTC());
    String b = bob.account().handle();
    assertThrows(
        IllegalArgumentException.class, () -> alice.setExpireTimer(b, Duration.ofSeconds(-1)));
    assertThrows(
        IllegalArgumentException.class, () -> alice.setExpireTimer(b, Duration.ofDays(400)));
    assertEquals(Duration.ZERO, alice.expireTimer(b));
    assertTrue(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).isEmpty());
  }

  private static List<String> texts(List<HistoryEntry> h) {
    return h.stream().map(HistoryEntry::text).toList();
  }
}
