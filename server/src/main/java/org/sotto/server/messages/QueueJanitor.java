package org.sotto.server.messages;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.server.store.MessageStore;

/**
 * Drops envelopes older than {@link MessageLimits#maxAge()}: once at start, then every {@link
 * MessageLimits#janitorPeriod()}. Dropped envelopes are counted per device and reported to the
 * device when it next connects. One daemon thread. Thread-safe.
 */
public final class QueueJanitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueJanitor.class);

  private final MessageStore store;
  private final MessageLimits limits;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  private QueueJanitor(MessageStore store, MessageLimits limits, Clock clock) {
    this.store = store;
    this.limits = limits;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "queue-janitor");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts sweeping now and then periodically. */
  public static QueueJanitor start(MessageStore store, MessageLimits limits, Clock clock) {
    QueueJanitor j = new QueueJanitor(store, limits, clock);
    long period = limits.janitorPeriod().toMillis();
    j.timer.scheduleWithFixedDelay(j::sweep, 0, period, TimeUnit.MILLISECONDS);
    return j;
  }

  /** Runs one sweep now; returns how many envelopes were dropped. */
  public int sweep() {
    try {
      int n = store.expire(clock.millis() - limits.maxAge().toMillis());
      if (n > 0) {
        log.info("dropped {} expired envelopes", n);
      }
      return n;
    } catch (RuntimeException e) {
      log.warn("queue expiry failed: {}", e.getClass().getSimpleName());
      return 0;
    }
  }

  /** Stops sweeping, waiting for a running sweep to finish. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
