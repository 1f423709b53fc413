package org.sotto.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Reconnection delays: jittered, doubling, capped, reset. */
class BackoffTest {
  @Test
  void next_doublesWithinUpperHalfAndCapsAtMax() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
    SplittableRandom random = new SplittableRandom(1);
    long[] steps = {1000, 2000, 4000, 8000, 8000, 8000};

    for (long step : steps) {
      long ms = b.next(random).toMillis();
      assertTrue(ms >= step / 2 && ms <= step, ms + " not in [" + step / 2 + ", " + step + "]");
    }
  }

  @Test
  void reset_returnsToInitialStep() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60));
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 10; i++) {
      b.next(random);
    }

    b.reset();

    assertTrue(b.next(random).toMillis() <= 100);
  }

  @Test
  void next_withMaximalRandom_isTheFullStep() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));

    assertEquals(Duration.ofSeconds(1), b.next(new MaxRandom()));
  }

  @Test
  void create_withMaxBelowInitial_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  /** Always the largest value in range. */
  private static final class MaxRandom implements java.util.random.RandomGenerator {
    @Override
    public long nextLong() {
      return Long.MAX_VALUE;
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  }
}
