package org.sotto.server.messages;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a device queue may hold and how often old envelopes are swept. The server runs with
 * {@link #DEFAULT}; tests pass small values to exercise overflow and expiry quickly. Immutable.
 *
 * @param maxQueue most envelopes one device queue holds; beyond it the oldest are dropped
 * @param maxAge envelopes older than this are dropped by the janitor
 * @param janitorPeriod how often the janitor sweeps for old envelopes
 */
public record MessageLimits(int maxQueue, Duration maxAge, Duration janitorPeriod) {
  /**
   * 50,000 envelopes per device (as the issue sets it): weeks of heavy group traffic for a device
   * that is offline, while one abandoned device can hold at most ~12 GiB of 256 KiB envelopes in
   * the worst case and typically a few tens of MiB.
   */
  public static final int MAX_QUEUE = 50_000;

  /**
   * 30 days: a device offline longer than a month has almost certainly been lost or replaced, and
   * ciphertext should not wait on the server indefinitely.
   */
  public static final Duration MAX_AGE = Duration.ofDays(30);

  /**
   * Sweep every 5 minutes: expiry is a coarse limit, and each sweep scans only the age index, so a
   * few minutes of lateness costs nothing.
   */
  public static final Duration JANITOR_PERIOD = Duration.ofMinutes(5);

  /** The production limits. */
  public static final MessageLimits DEFAULT = new MessageLimits(MAX_QUEUE, MAX_AGE, JANITOR_PERIOD);

  /** Validates. */
  public MessageLimits {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(janitorPeriod, "janitorPeriod");
    if (maxQueue < 1) {
      throw new IllegalArgumentException("maxQueue must be positive");
    }
    if (maxAge.isNegative()
        || maxAge.isZero()
        || janitorPeriod.isNegative()
        || janitorPeriod.isZero()) {
      throw new IllegalArgumentException("durations must be positive");
    }
  }
}
