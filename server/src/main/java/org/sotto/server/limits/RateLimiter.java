package org.sotto.server.limits;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.sotto.server.http.ApiException;

/**
 * A token bucket per key (an IP address, an account): {@code capacity} requests at once, refilled
 * at {@code perMinute}. In memory by default; with {@link SharedBuckets} (cluster mode) the bucket
 * lives in Redis and is shared by every node, and while Redis is unreachable the in-memory bucket
 * takes over (per-node limits, never a failed request). Buckets of idle keys are forgotten once
 * full again, so memory follows active keys only. Thread-safe.
 */
public final class RateLimiter {
  /**
   * Above this many tracked keys, full buckets are purged before adding more: bounds memory under a
   * flood.
   */
  static final int PURGE_THRESHOLD = 100_000;

  private final String name;
  private final double capacity;
  private final double perMs;
  private final Clock clock;
  private final SharedBuckets shared;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long updatedMs;

    Bucket(double tokens, long updatedMs) {
      this.tokens = tokens;
      this.updatedMs = updatedMs;
    }
  }

  /** An in-memory limiter named {@code name} (for its own bookkeeping only). */
  public RateLimiter(String name, int capacity, double perMinute, Clock clock) {
    this(name, capacity, perMinute, clock, null);
  }

  /**
   * A limiter named {@code name} whose buckets live in {@code shared} when it is reachable (null:
   * in memory only). The name is part of the shared key, so it must be the same on every node.
   */
  public RateLimiter(
      String name, int capacity, double perMinute, Clock clock, SharedBuckets shared) {
    this.name = name;
    this.shared = shared;
    this.capacity = capacity;
    this.perMs = perMinute / 60_000.0;
    this.clock = clock;
  }

  /** Takes one token for {@code key}, or throws 429 with Retry-After. */
  public void acquire(String key) {
    if (shared != null && shared.available()) {
      long waitMs;
      try {
        waitMs = shared.acquire(name, key, (int) capacity, perMs * 60_000.0);
      } catch (RuntimeException e) {
        waitMs = -1; // unreachable: fail open to the per-node bucket
      }
      if (waitMs == 0) {
        return;
      }
      if (waitMs > 0) {
        throw ApiException.rateLimited((long) Math.ceil(waitMs / 1000.0));
      }
    }
    acquireLocal(key);
  }

  private void acquireLocal(String key) {
    long now = clock.millis();
    if (buckets.size() > PURGE_THRESHOLD) {
      buckets.values().removeIf(b -> refilled(b, now) >= capacity);
    }
    double[] wait = {0};
    buckets.compute(
        key,
        (k, b) -> {
          Bucket bucket = b == null ? new Bucket(capacity, now) : b;
          bucket.tokens = refilled(bucket, now);
          bucket.updatedMs = now;
          if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
          } else {
            wait[0] = (1 - bucket.tokens) / perMs;
          }
          return bucket;
        });
    if (wait[0] > 0) {
      throw ApiException.rateLimited((long) Math.ceil(wait[0] / 1000.0));
    }
  }

  private double refilled(Bucket b, long now) {
    return Math.min(capacity, b.tokens + (now - b.updatedMs) * perMs);
  }

  @Override
  public String toString() {
    return "RateLimiter[" + name + "]";
  }
}
