package org.sotto.server.store.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.server.store.StoreException;

/**
 * The threads and queue behind {@link GroupWriter} and {@link QueueReader}: callers submit
 * operations; each of a few threads takes every operation waiting (up to a group's size) and hands
 * them to the owner's {@code work} as one group. Operations still waiting at {@link #close} are
 * done first; one submitted after the threads have stopped fails with a {@link StoreException}.
 * Thread-safe.
 *
 * @param <T> an operation, which carries the future its caller waits on
 */
final class Grouper<T extends Grouper.Op> implements AutoCloseable {
  /** One queued operation: its caller waits on {@link #result()}. */
  interface Op {
    /** Completed by the group's work, or exceptionally when the work fails. */
    CompletableFuture<?> result();
  }

  /** How long an idle thread waits for work before checking whether it should stop. */
  static final long IDLE_POLL_MILLIS = 100;

  private static final Logger log = LoggerFactory.getLogger(Grouper.class);

  private final BlockingQueue<T> pending;
  private final int maxGroup;
  private final Consumer<List<T>> work;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  /**
   * Starts {@code threads} daemon threads named {@code name-<n>}, each running {@code work} on
   * groups of at most {@code maxGroup}; beyond {@code maxPending} waiting operations, {@link
   * #submit} blocks (back-pressure). {@code work} completes every operation of its group; if it
   * throws, the group's operations not yet completed fail.
   */
  Grouper(String name, int threads, int maxGroup, int maxPending, Consumer<List<T>> work) {
    this.pending = new ArrayBlockingQueue<>(maxPending);
    this.maxGroup = maxGroup;
    this.work = work;
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::loop, name + "-" + i);
      t.setDaemon(true);
      this.threads.add(t);
      t.start();
    }
  }

  /** Queues {@code op}; fails it at once when closed. */
  void submit(T op) {
    if (closed) {
      op.result().completeExceptionally(new StoreException("database closed", null));
      return;
    }
    try {
      pending.put(op);
      if (closed && threads.stream().noneMatch(Thread::isAlive)) {
        failAll(drain(), new StoreException("database closed", null));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      op.result().completeExceptionally(new StoreException("interrupted", e));
    }
  }

  /**
   * Fails every operation of {@code ops} with {@code failure} (completed ones stay as they are).
   */
  static void failAll(List<? extends Op> ops, Throwable failure) {
    for (Op op : ops) {
      op.result().completeExceptionally(failure);
    }
  }

  private List<T> drain() {
    List<T> left = new ArrayList<>();
    pending.drainTo(left);
    return left;
  }

  private void loop() {
    List<T> group = new ArrayList<>(maxGroup);
    while (!closed || !pending.isEmpty()) {
      try {
        T first = pending.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        pending.drainTo(group, maxGroup - 1);
        work.accept(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (StoreException e) {
        failAll(group, e);
      } catch (RuntimeException | Error e) {
        log.error("{} failed: {}", Thread.currentThread().getName(), e.getClass().getName());
        failAll(group, new StoreException("database work failed", e));
      } finally {
        group.clear();
      }
    }
  }

  /** Finishes the operations waiting, then stops the threads; later ones fail. */
  @Override
  public void close() {
    closed = true;
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    failAll(drain(), new StoreException("database closed", null));
  }
}
