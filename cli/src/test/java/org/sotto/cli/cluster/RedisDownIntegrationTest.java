package org.sotto.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.testing.RedisProcess;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.PostgresTestDatabase;

/**
 * Redis is only the doorbell: with a private Redis stopped, the nodes report degraded fan-out and
 * messages sent through node A still reach the recipient connected to node B within the documented
 * polling bound; once Redis is back the nodes return to push delivery by themselves.
 */
class RedisDownIntegrationTest {
  /** A pushed message arrives within this time of its send (see the cross-node test). */
  static final Duration PUSHED_WITHIN = CrossNodeDeliveryIntegrationTest.PUSHED_WITHIN;

  /** The documented bound of delivery while Redis is down: the nodes' polling interval. */
  static final Duration POLL_BOUND = CrossNodeDeliveryIntegrationTest.POLL_INTERVAL;

  /**
   * Added to {@link #POLL_BOUND}: the send's round trip, the recipient's decrypt and store, and a
   * node noticing that Redis is gone, on a busy 2-core machine.
   */
  static final Duration MARGIN = Duration.ofMillis(1_500);

  /** Unmeasured messages before the phases. */
  static final int WARM_UP = 3;

  /** Messages sent in each phase (Redis up, down, back). */
  static final int PER_PHASE = 4;

  /**
   * Pause between the sends of a phase (not a multiple of the polling interval), so they fall at
   * different points of a polling cycle.
   */
  static final long SPACING_MILLIS = 330;

  /** Time the nodes get to reconnect to a restarted Redis (their backoff is at most 2 s). */
  static final Duration RECOVERY = Duration.ofSeconds(20);

  /** How often a node's health is read while waiting for a change. */
  static final long HEALTH_POLL_MILLIS = 100;

  private RedisProcess redis;
  private PostgresTestDatabase db;
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
    db = PostgresTestDatabase.create();
    cluster = Cluster.start("redis-down", Cluster.args(db, redis.url()));
    SottoClient alice = cluster.register("alice", cluster.a().uri());
    SottoClient bob = cluster.register("bob", cluster.b().uri());
    Inbox inbox = new Inbox();
    bob.startReceiving(inbox);
    inbox.awaitQueueEmpty(1, Duration.ofSeconds(30));
    // The first messages set up the session (prekey fetch) and warm both JVMs' send and delivery
    // paths; the phases measure ordinary sends.
    for (int i = 1; i <= WARM_UP; i++) {
      latencyMillis(alice, inbox, "warm-up " + i, Duration.ofSeconds(30));
    }

    List<Long> up = phase(alice, inbox, "up", Duration.ofSeconds(10));
    assertPushed(up, "Redis up");

    redis.stop();
    List<Long> down = phase(alice, inbox, "down", Duration.ofSeconds(30));
    for (long ms : down) {
      assertTrue(
          ms < POLL_BOUND.plus(MARGIN).toMillis(),
          "with Redis down, delivered within the polling bound "
              + POLL_BOUND.toMillis()
              + " ms + "
              + MARGIN.toMillis()
              + " ms: "
              + down
              + "\n"
              + cluster.logs());
    }
    for (ServerProcess node : List.of(cluster.a(), cluster.b())) {
      assertEquals(
          "polling", Cluster.fanout(node), "a node reports degraded fan-out with Redis down");
    }

    redis.start();
    long recoveryStart = System.nanoTime();
    for (ServerProcess node : List.of(cluster.a(), cluster.b())) {
      awaitFanout(node, "redis", recoveryStart);
    }
    long recoveredMillis = (System.nanoTime() - recoveryStart) / 1_000_000;
    // Nothing polls now: a message that arrives was pushed.
    List<Long> back = phase(alice, inbox, "back", Duration.ofSeconds(10));
    assertPushed(back, "Redis back");

    assertEquals(List.of(), inbox.errors());
    inbox.counts().forEach((text, n) -> assertEquals(1, n, text + " delivered once"));
    System.out.printf(
        "latencies ms: up %s, down %s, back %s; nodes back on Redis after %d ms%n",
        up, down, back, recoveredMillis);
  }

  private void assertPushed(List<Long> latencies, String when) {
    for (long ms : latencies) {
      assertTrue(
          ms < PUSHED_WITHIN.toMillis(),
          when + ": pushed within " + PUSHED_WITHIN.toMillis() + " ms: " + latencies);
    }
  }

  private void awaitFanout(ServerProcess node, String expected, long since)
      throws InterruptedException {
    while (!expected.equals(Cluster.fanout(node))) {
      assertTrue(
          System.nanoTime() - since < RECOVERY.toNanos(),
          node.uri() + " not back on Redis within " + RECOVERY + "\n" + cluster.logs());
      Thread.sleep(HEALTH_POLL_MILLIS);
    }
  }

  private List<Long> phase(SottoClient from, Inbox inbox, String name, Duration timeout)
      throws Exception {
    List<Long> out = new ArrayList<>();
    for (int i = 1; i <= PER_PHASE; i++) {
      try {
        out.add(latencyMillis(from, inbox, name + " " + i, timeout));
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + " (latencies so far " + out + ")\n" + cluster.logs(), e);
      }
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
