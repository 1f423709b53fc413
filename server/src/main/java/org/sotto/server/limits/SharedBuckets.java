package org.sotto.server.limits;

/**
 * Token buckets kept outside this process (Redis), so that several server nodes share one limit per
 * key. Implementations are thread-safe and may throw {@link RuntimeException} when the shared store
 * is unreachable; {@link RateLimiter} then falls back to its own in-memory bucket.
 */
public interface SharedBuckets {
  /**
   * Refills the bucket {@code name}/{@code key} ({@code capacity} tokens, {@code perMinute} refill)
   * and takes one token if there is one, atomically.
   *
   * @return 0 when a token was taken, else the milliseconds until one will be available
   */
  long acquire(String name, String key, int capacity, double perMinute);

  /** Whether the shared store is believed reachable (false: skip it, use the local bucket). */
  boolean available();
}
