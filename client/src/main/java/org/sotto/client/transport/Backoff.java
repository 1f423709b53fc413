package org.sotto.client.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnection backoff with jitter: each delay is drawn from the upper half of the
 * current step, so clients dropped together (a server restart) do not all return at once, and the
 * step doubles up to a maximum. Not thread-safe (its owner guards it).
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration step;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
    this.step = initial;
  }

  /** The next delay, in [step/2, step]; the step then doubles, capped at the maximum. */
  Duration next(RandomGenerator random) {
    long ms = step.toMillis();
    Duration delay = Duration.ofMillis(ms / 2 + random.nextLong(ms / 2 + 1));
    Duration doubled = step.multipliedBy(2);
    step = doubled.compareTo(max) > 0 ? max : doubled;
    return delay;
  }

  /** Back to the initial step (after a successful connection). */
  void reset() {
    step = initial;
  }
}
