package org.sotto.server.attachments;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AttachmentManager#sweep()} once right away and then every {@link #INTERVAL} on one
 * daemon thread, until closed. Thread-safe.
 */
public final class AttachmentJanitor implements AutoCloseable {
  /** Expiry is counted in days; an hourly sweep keeps files at most an hour past 30 days. */
  public static final Duration INTERVAL = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(AttachmentJanitor.class);

  private final ScheduledExecutorService executor;

  private AttachmentJanitor(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts sweeping {@code manager}. */
  public static AttachmentJanitor start(AttachmentManager manager) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "attachment-janitor");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        () -> sweep(manager), 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return new AttachmentJanitor(executor);
  }

  private static void sweep(AttachmentManager manager) {
    try {
      int n = manager.sweep();
      if (n > 0) {
        log.info("expired {} attachments", n);
      }
    } catch (RuntimeException e) {
      // Counts and types only: ids are capabilities and stay out of logs.
      log.warn("attachment expiry failed: {}", e.getClass().getSimpleName());
    }
  }

  /** Stops sweeping; waits briefly for a running sweep. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
