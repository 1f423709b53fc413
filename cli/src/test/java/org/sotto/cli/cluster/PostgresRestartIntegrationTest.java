package org.sotto.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.testing.PostgresProcess;
import org.sotto.cli.testing.RedisProcess;
import org.sotto.cli.testing.TestDatabase;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;

/**
 * A private PostgreSQL restarted in the middle of a conversation between two nodes' clients: sends
 * in flight fail with a server error (the SDK does not retry a send by itself; the sender, here the
 * test as an app would, sends again), the nodes reconnect to the database, the recipient's delivery
 * socket reconnects, and every message arrives exactly once: nothing lost, nothing doubled.
 */
class PostgresRestartIntegrationTest {
  /** Messages in the conversation. */
  static final int MESSAGES = 40;

  /** The restart happens after this many messages were sent. */
  static final int RESTART_AFTER = 10;

  /**
   * Time the database stays stopped: long enough for sends and pushes to hit it (a 50 ms restart
   * could fall between two), short enough for the nodes' connection pool to wait it out or fail.
   */
  static final long DOWN_MILLIS = 1_500;

  /** Pause between two sends: the conversation is still going on while the database restarts. */
  static final long SPACING_MILLIS = 50;

  /** Pause before a failed send is tried again. */
  static final long RETRY_PAUSE_MILLIS = 250;

  /** Longest a single message may take to be accepted, retries included. */
  static final Duration SEND_DEADLINE = Duration.ofSeconds(60);

  /**
   * Time for the rest of the messages to arrive once all were sent: the SDK reconnects with a
   * backoff that grows from 1 s while the database is away.
   */
  static final Duration ARRIVAL = Duration.ofSeconds(90);

  /** Time after the last arrival in which a duplicate would have shown up. */
  static final long DUPLICATE_WATCH_MILLIS = 2_000;

  private PostgresProcess pg;
  private TestDatabase db;
  private Cluster cluster;

  @AfterEach
  void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (pg != null) {
        pg.close(); // drops the database with the whole server
      }
    }
  }

  @Test
  void postgresRestartedMidConversation_everyMessageArrivesExactlyOnce() throws Exception {
    String redis = RedisProcess.requireLocal();
    pg = PostgresProcess.launch();
    db = TestDatabase.create("127.0.0.1", pg.port(), "pg_restart");
    List<String> args = new ArrayList<>(db.serverArgs());
    args.addAll(List.of("--redis", redis));
    cluster = Cluster.start("pg-restart", args);
    SottoClient alice = cluster.register("alice", cluster.a().uri());
    SottoClient bob = cluster.register("bob", cluster.b().uri());
    Inbox inbox = new Inbox();
    bob.startReceiving(inbox);
    inbox.awaitQueueEmpty(1, Duration.ofSeconds(30));
    List<String> texts = IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "message " + i).toList();

    AtomicInteger sentCount = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (String t : texts) {
                  sendUntilAccepted(alice, t, failures);
                  sentCount.incrementAndGet();
                  Thread.sleep(SPACING_MILLIS);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    while (sentCount.get() < RESTART_AFTER && !sender.isDone()) {
      Thread.sleep(10);
    }
    int sentBefore = sentCount.get();
    long restartStart = System.nanoTime();
    pg.stop();
    Thread.sleep(DOWN_MILLIS);
    pg.start();
    long restartMillis = (System.nanoTime() - restartStart) / 1_000_000;

    sender.get(MESSAGES * SEND_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertTrue(sentCount.get() > RESTART_AFTER, "sends went on after the restart");
    try {
      inbox.awaitAll(texts, ARRIVAL);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + pg.logTail() + "\n" + cluster.logs(), e);
    }
    Thread.sleep(DUPLICATE_WATCH_MILLIS);
    for (String t : texts) {
      assertEquals(1, inbox.count(t), t + " arrived exactly once");
    }
    assertEquals(MESSAGES, inbox.counts().size(), "nothing else arrived");
    assertEquals(List.of(), inbox.errors());
    System.out.printf(
        "database away for %d ms after %d sends; %d sends failed and were sent again%n",
        restartMillis, sentBefore, failures.get());
  }

  /** Sends {@code text} to bob, sending again after each failure, up to {@link #SEND_DEADLINE}. */
  private static void sendUntilAccepted(SottoClient from, String text, AtomicInteger failures)
      throws Exception {
    long deadline = System.nanoTime() + SEND_DEADLINE.toNanos();
    while (true) {
      try {
        from.send("bob", text);
        return;
      } catch (SottoException e) {
        failures.incrementAndGet();
        if (System.nanoTime() > deadline) {
          throw new AssertionError("'" + text + "' was refused until the deadline", e);
        }
        Thread.sleep(RETRY_PAUSE_MILLIS);
      }
    }
  }
}
