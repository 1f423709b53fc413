package org.sotto.server.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.sotto.server.limits.SharedBuckets;

/**
 * Rate-limit token buckets in Redis, shared by every node: one Lua script per acquire refills the
 * bucket by Redis's own clock (so node clocks need not agree), takes a token or computes the wait,
 * and sets the key to expire once the bucket would be full again. Keys are {@code
 * sotto:rl:<name>:<hash of key>}: the limited key (a client IP, an account id) is stored only as a
 * truncated SHA-256, so Redis (and its snapshots) hold no addresses or ids in the clear.
 * Thread-safe.
 */
public final class RedisBuckets implements SharedBuckets {
  /** Prefix of every bucket key. */
  static final String KEY_PREFIX = "sotto:rl:";

  /**
   * KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per millisecond. A missing bucket is full. The
   * key lives as long as a refill to full takes (plus a second), after which a fresh full bucket is
   * the same thing. Returns 0 or the wait in whole milliseconds (rounded up).
   */
  private static final String ACQUIRE_SCRIPT =
      """
      local cap = tonumber(ARGV[1])
      local per_ms = tonumber(ARGV[2])
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
      local tokens = tonumber(b[1]) or cap
      local at = tonumber(b[2]) or now
      if now > at then tokens = math.min(cap, tokens + (now - at) * per_ms) end
      local wait = 0
      if tokens >= 1 then
        tokens = tokens - 1
      else
        wait = math.ceil((1 - tokens) / per_ms)
        if wait < 1 then wait = 1 end
      end
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
      redis.call('PEXPIRE', KEYS[1], math.ceil(cap / per_ms) + 1000)
      return wait
      """;

  /** 128 bits of the hash: collisions between live keys are out of reach. */
  static final int HASH_BYTES = 16;

  private final RedisNode node;

  /** Buckets in the Redis of {@code node}. */
  public RedisBuckets(RedisNode node) {
    this.node = node;
  }

  @Override
  public long acquire(String name, String key, int capacity, double perMinute) {
    try {
      Object wait =
          node.client()
              .eval(
                  ACQUIRE_SCRIPT,
                  List.of(key(name, key)),
                  List.of(Integer.toString(capacity), Double.toString(perMinute / 60_000.0)));
      node.commandResult(true);
      return (Long) wait;
    } catch (RuntimeException e) {
      node.commandResult(false);
      throw e;
    }
  }

  /** The Redis key of bucket {@code name}/{@code key}. */
  static String key(String name, String key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return KEY_PREFIX
          + name
          + ":"
          + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, HASH_BYTES));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every JDK", e);
    }
  }

  @Override
  public boolean available() {
    return node.healthy();
  }
}
