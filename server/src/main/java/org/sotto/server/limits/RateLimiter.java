package org.sotto.server.limits;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.sotto.server.http.ApiException;

/**
 * A token bucket per key (an IP address, an account), in memory: {@code capacity} requests at once,
 * refilled at {@code perMinute}. Buckets of idle keys are forgotten once full again, so memory
 * follows active keys only. Thread-safe.
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
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long updatedMs;

    Bucket(double tokens, long updatedMs) {
      this.tokens = tokens;
      this.updatedMs = updatedMs;
    }
  }

  /** A limiter named {@code name} (for its own bookkeeping only). */
  public RateLimiter(String name, int capacity, double perMinute, Clock clock) {
    this.name = name;
    this.capacity = capacity;
    this.perMs = perMinute / 60_000.0;
    this.clock = clock;
  }

  /** Takes one token for {@code key}, or throws 429 with Retry-After. */
  public void acquire(String key) {
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
