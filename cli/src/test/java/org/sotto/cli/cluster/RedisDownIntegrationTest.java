package org.sotto.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.testing.RedisProcess;
import org.sotto.cli.testing.TestDatabase;
import org.sotto.client.SottoClient;

/**
 * Redis is only the doorbell: with a private Redis stopped, messages sent through node A still
 * reach the recipient connected to node B, within the nodes' polling bound; once Redis is back the
 * nodes return to push delivery by themselves.
 */
class RedisDownIntegrationTest {
  /** A pushed message arrives within this time of its send: well below the polling bound. */
  static final Duration PUSHED_WITHIN = CrossNodeDeliveryIntegrationTest.PUSHED_WITHIN;

  /** The documented bound of delivery while Redis is down: the nodes' polling interval. */
  static final Duration POLL_BOUND = Duration.ofSeconds(5);

  /** Added to {@link #POLL_BOUND} for the send's round trip and a busy machine. */
  static final Duration MARGIN = Duration.ofSeconds(2);

  /** Messages sent in each phase (Redis up, down, back). */
  static final int PER_PHASE = 3;

  /** Pause between the sends of a phase, so they fall at different points of a polling cycle. */
  static final long SPACING_MILLIS = 400;

  /** Time the nodes get to reconnect to a restarted Redis (their reconnect backoff and more). */
  static final Duration RECOVERY = Duration.ofSeconds(30);

  private RedisProcess redis;
  private TestDatabase db;
  private Cluster cluster;

  @AfterEach
  void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      try {
        if (db != null) {
          db.close();
        }
      } finally {
        if (redis != null) {
          redis.close();
        }
      }
    }
  }

  @Test
  void redisStopped_deliveryFallsBackToPollingWithinBound_andPushResumesWhenRedisReturns()
      throws Exception {
    redis = RedisProcess.launch();
    db = TestDatabase.createLocal("redis_down");
    List<String> args = new ArrayList<>(db.serverArgs());
    args.addAll(List.of("--redis", redis.url()));
    cluster = Cluster.start("redis-down", args);
    SottoClient alice = cluster.register("alice", cluster.a().uri());
    SottoClient bob = cluster.register("bob", cluster.b().uri());
    Inbox inbox = new Inbox();
    bob.startReceiving(inbox);
    inbox.awaitQueueEmpty(1, Duration.ofSeconds(30));
    // The first message sets up the session (prekey fetch); the phases measure ordinary sends.
    latencyMillis(alice, inbox, "hello", Duration.ofSeconds(30));

    List<Long> up = phase(alice, inbox, "up", POLL_BOUND.plus(MARGIN));
    for (long ms : up) {
      assertTrue(ms < PUSHED_WITHIN.toMillis(), "pushed with Redis up: " + up);
    }

    redis.stop();
    List<Long> down = phase(alice, inbox, "down", POLL_BOUND.plus(MARGIN).multipliedBy(2));
    for (long ms : down) {
      assertTrue(
          ms < POLL_BOUND.plus(MARGIN).toMillis(),
          "delivered within the polling bound with Redis down: " + down + "\n" + cluster.logs());
    }

    redis.start();
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    List<Long> back = new ArrayList<>();
    int pushedInARow = 0;
    for (int i = 1; pushedInARow < PER_PHASE; i++) {
      assertTrue(
          System.nanoTime() < deadline,
          "push delivery did not resume within " + RECOVERY + ": " + back + "\n" + cluster.logs());
      long ms = latencyMillis(alice, inbox, "back " + i, POLL_BOUND.plus(MARGIN).multipliedBy(2));
      back.add(ms);
      pushedInARow = ms < PUSHED_WITHIN.toMillis() ? pushedInARow + 1 : 0;
      Thread.sleep(SPACING_MILLIS);
    }
    assertEquals(List.of(), inbox.errors());
    inbox.counts().forEach((text, n) -> assertEquals(1, n, text + " delivered once"));
    System.out.printf("latencies ms: up %s, down %s, back %s%n", up, down, back);
  }

  private static List<Long> phase(SottoClient from, Inbox inbox, String name, Duration timeout)
      throws Exception {
    List<Long> out = new ArrayList<>();
    for (int i = 1; i <= PER_PHASE; i++) {
      out.add(latencyMillis(from, inbox, name + " " + i, timeout));
      Thread.sleep(SPACING_MILLIS);
    }
    return out;
  }

  /** Sends {@code text} to bob and returns the milliseconds until it arrived. */
  static long latencyMillis(SottoClient from, Inbox inbox, String text, Duration timeout)
      throws Exception {
    long start = System.nanoTime();
    from.send("bob", text);
    return (inbox.await(text, timeout) - start) / 1_000_000;
  }
}
