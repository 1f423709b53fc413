package org.sotto.client.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.sotto.api.AccountId;

/**
 * Collects the delivery receipts owed to senders and sends them in batches: one receipt content per
 * sender names every message received from it since the last batch. A receipt per message would
 * cost a whole send (encryption, a server commit, the sender's decryption) for every message
 * received; a batch costs one. Thread-safe.
 *
 * <p>A batch goes out {@link #DELAY} after its first receipt, at once when it reaches {@link
 * Content#MAX_RECEIPT_TIMESTAMPS}, and on {@link #flush()} (the client calls it when a receive ends
 * and on close). Receipts are a courtesy: ones not yet sent when the process dies are lost, the
 * messages themselves are stored either way.
 */
final class DeliveryReceipts implements AutoCloseable {
  /**
   * How long a receipt waits for others to share its send: long enough to gather a burst of
   * messages, short enough that the sender sees "delivered" at once to a person watching.
   */
  static final Duration DELAY = Duration.ofMillis(200);

  /** Sends one batch: the receipt content for {@code timestamps} (at most the content limit). */
  @FunctionalInterface
  interface Sender {
    void send(AccountId to, List<Long> timestamps) throws InterruptedException;
  }

  private final Sender sender;
  private final ScheduledExecutorService scheduler;

  // Guarded by this.
  private final Map<AccountId, List<Long>> pending = new LinkedHashMap<>();
  private ScheduledFuture<?> scheduled;

  DeliveryReceipts(Sender sender) {
    this.sender = sender;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("sotto-receipts").unstarted(r));
  }

  /** Owes {@code from} a delivery receipt for its message sent at {@code sentTimestamp}. */
  void add(AccountId from, long sentTimestamp) {
    boolean full;
    synchronized (this) {
      List<Long> list = pending.computeIfAbsent(from, k -> new ArrayList<>());
      list.add(sentTimestamp);
      full = list.size() >= Content.MAX_RECEIPT_TIMESTAMPS;
      if (!full && scheduled == null && !scheduler.isShutdown()) {
        scheduled = scheduler.schedule(this::flushQuietly, DELAY.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (full && !scheduler.isShutdown()) {
      scheduler.execute(this::flushQuietly);
    }
  }

  /** Sends every receipt owed now, in the caller's thread. */
  void flush() throws InterruptedException {
    Map<AccountId, List<Long>> batch;
    synchronized (this) {
      if (scheduled != null) {
        scheduled.cancel(false);
        scheduled = null;
      }
      if (pending.isEmpty()) {
        return;
      }
      batch = new LinkedHashMap<>(pending);
      pending.clear();
    }
    for (Map.Entry<AccountId, List<Long>> e : batch.entrySet()) {
      List<Long> ts = e.getValue();
      for (int from = 0; from < ts.size(); from += Content.MAX_RECEIPT_TIMESTAMPS) {
        sender.send(
            e.getKey(),
            List.copyOf(
                ts.subList(from, Math.min(ts.size(), from + Content.MAX_RECEIPT_TIMESTAMPS))));
      }
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the timer; receipts still owed are dropped (call {@link #flush()} first). */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
