package org.sotto.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.server.cluster.Redises.await;

import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sotto.server.http.ApiException;
import org.sotto.server.limits.RateLimiter;
import redis.clients.jedis.Jedis;

/** Rate limits shared by two nodes through Redis, and their per-node fallback. */
class RedisBucketsIntegrationTest {
  /** Capacity of the test buckets; the refill is slow enough to add nothing during a test. */
  static final int CAPACITY = 3;

  static final double PER_MINUTE = 0.01;

  @Test
  void acquire_twoNodes_shareOneBucket() {
    String name = "test-" + UUID.randomUUID();
    try (RedisNode a = RedisNode.start(Redises.shared(), "a");
        RedisNode b = RedisNode.start(Redises.shared(), "b")) {
      await("both nodes are healthy", () -> a.healthy() && b.healthy());
      RateLimiter onA =
          new RateLimiter(name, CAPACITY, PER_MINUTE, Clock.systemUTC(), new RedisBuckets(a));
      RateLimiter onB =
          new RateLimiter(name, CAPACITY, PER_MINUTE, Clock.systemUTC(), new RedisBuckets(b));
      onA.acquire("203.0.113.7");
      onB.acquire("203.0.113.7");
      onA.acquire("203.0.113.7");
      ApiException e = assertThrows(ApiException.class, () -> onB.acquire("203.0.113.7"));
      assertEquals(429, e.status());
      // Another key has its own bucket.
      onB.acquire("203.0.113.8");
      try (Jedis j = new Jedis(Redises.SHARED.getHost(), Redises.SHARED.getPort())) {
        long ttl = j.pttl(RedisBuckets.key(name, "203.0.113.7"));
        assertTrue(ttl > 0, "the bucket key must expire, pttl " + ttl);
        for (String k : j.keys(RedisBuckets.KEY_PREFIX + name + ":*")) {
          assertFalse(k.contains("203.0.113"), "a client address in clear in Redis: " + k);
        }
      }
    }
  }

  @Test
  void acquire_redisDown_fallsBackToLocalBucket_only429() throws Exception {
    try (Redises.Own redis = Redises.Own.start();
        RedisNode node = RedisNode.start(redis.uri(), "a")) {
      await("the node is healthy", node::healthy);
      RateLimiter limiter =
          new RateLimiter("test", CAPACITY, PER_MINUTE, Clock.systemUTC(), new RedisBuckets(node));
      limiter.acquire("k"); // one token taken in Redis
      redis.kill();
      // The first call after the crash may still try Redis; none may fail with anything but 429.
      for (int i = 0; i < CAPACITY; i++) {
        long t0 = System.nanoTime();
        limiter.acquire("k");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms <= 2L * RedisNode.COMMAND_TIMEOUT_MS, "acquire took " + ms + " ms");
      }
      ApiException e = assertThrows(ApiException.class, () -> limiter.acquire("k"));
      assertEquals(429, e.status());
    }
  }
}
