package org.sotto.bench.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives a {@link Relay} with one sender thread (virtual) per pair, in one of two patterns, the
 * same for every relay:
 *
 * <ul>
 *   <li>{@link #closedLoop}: each sender sends as fast as its last send is accepted, with at most
 *       {@link #WINDOW} of its payloads not yet delivered; the figure is payloads delivered per
 *       second over a steady window after a warm-up.
 *   <li>{@link #paced}: open loop at a fixed total rate, each sender on its own fixed schedule;
 *       latency is measured from the <i>scheduled</i> send time to the receipt on the recipient's
 *       socket, so a send that starts late because the previous one was slow counts its lateness
 *       (no coordinated omission).
 * </ul>
 *
 * One instance per relay connection; not for concurrent runs.
 */
final class RelayLoad {
  /**
   * Payloads per pair sent but not yet delivered, at most, in the closed loop. Bounds the queues,
   * so the figure is sustained end-to-end delivery and not acceptance into a growing backlog; 4
   * lets a sender send its next payload while earlier ones are being pushed and acked.
   */
  static final int WINDOW = 4;

  /** How long a closed-loop sender waits for window room before checking whether to stop. */
  static final long WINDOW_POLL_MILLIS = 100;

  /** Time between starting the paced senders and their first due time, so all start on time. */
  static final long PACED_START_DELAY_MILLIS = 100;

  /** How often the drain checks whether everything has arrived. */
  static final long DRAIN_POLL_MILLIS = 10;

  /** How often progress is printed and failures are checked while a run goes on. */
  static final long WATCH_MILLIS = 1_000;

  /** How long in-flight payloads get to arrive after the senders stop. */
  static final long DRAIN_SECONDS = 30;

  /**
   * Largest latency the histogram tracks, in microseconds (one minute; a send times out long
   * before).
   */
  static final long MAX_LATENCY_MICROS = 60_000_000L;

  /** HdrHistogram precision: three significant digits. */
  static final int LATENCY_DIGITS = 3;

  /** The result of a closed-loop run. */
  record Throughput(long delivered, double seconds) {
    /** Payloads delivered per second in the measured window. */
    double perSecond() {
      return delivered / seconds;
    }
  }

  /** The result of a paced run: the measured latencies (microseconds) and the rate achieved. */
  record Latency(Histogram micros, double ratePerSecond) {
    /** A percentile in milliseconds. */
    double millis(double percentile) {
      return micros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private final int pairs;
  private final Semaphore[] windows;
  private final LongAdder delivered = new LongAdder();
  private final AtomicLong sent = new AtomicLong();
  private final Recorder recorder = new Recorder(MAX_LATENCY_MICROS, LATENCY_DIGITS);
  private final byte[] filler = new byte[Payload.BYTES];
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile long recordFrom = Long.MAX_VALUE;

  /** A load for {@code pairs} pairs; pass {@link #delivery()} to {@link Relay#open}. */
  RelayLoad(int pairs) {
    this.pairs = pairs;
    windows = new Semaphore[pairs];
    for (int i = 0; i < pairs; i++) {
      windows[i] = new Semaphore(WINDOW);
    }
    ThreadLocalRandom.current().nextBytes(filler);
  }

  /** What the relay calls on each receipt. */
  Relay.Delivery delivery() {
    return (pair, payload) -> {
      long now = System.nanoTime();
      if (payload.length != Payload.BYTES || Payload.pair(payload) != pair) {
        failure.compareAndSet(
            null, new IllegalStateException("a payload arrived damaged or at the wrong recipient"));
        return;
      }
      long stamp = Payload.stamp(payload);
      if (stamp >= recordFrom) {
        recorder.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, (now - stamp) / 1000)));
      }
      delivered.increment();
      windows[pair].release();
    };
  }

  /**
   * Sends as fast as the relay accepts for {@code warmupSeconds} then {@code seconds}, and returns
   * what was delivered in the second part. {@code check} runs once a second (it may throw).
   */
  Throughput closedLoop(Relay relay, double warmupSeconds, double seconds, Runnable check)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        int pair = i;
        running.add(
            senders.submit(
                () -> {
                  long seq = 0;
                  while (!stop.get()) {
                    if (!windows[pair].tryAcquire(WINDOW_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                      continue;
                    }
                    sent.incrementAndGet();
                    relay.send(pair, Payload.create(pair, seq++, System.nanoTime(), filler));
                  }
                  return null;
                }));
      }
      Throughput result;
      try {
        watch(relay, warmupSeconds, "warm-up", running, false, check);
        long d0 = delivered.sum();
        long t0 = System.nanoTime();
        watch(relay, seconds, "measured", running, false, check);
        long d1 = delivered.sum();
        long t1 = System.nanoTime();
        result = new Throughput(d1 - d0, (t1 - t0) / 1e9);
      } finally {
        stop.set(true);
      }
      for (Future<?> f : running) {
        f.get();
      }
      drain(relay);
      return result;
    }
  }

  /**
   * Sends {@code ratePerSecond} payloads per second in total, each sender on a fixed schedule with
   * a random phase, for {@code warmupSeconds} (not recorded) then {@code seconds} (recorded).
   */
  Latency paced(
      Relay relay, double ratePerSecond, double warmupSeconds, double seconds, Runnable check)
      throws Exception {
    long interval = Math.round(pairs * 1e9 / ratePerSecond);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PACED_START_DELAY_MILLIS);
    long measureFrom = start + Math.round(warmupSeconds * 1e9);
    long end = measureFrom + Math.round(seconds * 1e9);
    long sentBefore = sent.get();
    recorder.reset();
    recordFrom = measureFrom;
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        int pair = i;
        long phase = ThreadLocalRandom.current().nextLong(interval);
        running.add(
            senders.submit(
                () -> {
                  long seq = 0;
                  for (long due = start + phase; due < end; due += interval) {
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    sent.incrementAndGet();
                    relay.send(pair, Payload.create(pair, seq++, due, filler));
                  }
                  return null;
                }));
      }
      try {
        watch(relay, (end - System.nanoTime()) / 1e9, "paced", running, true, check);
        for (Future<?> f : running) {
          f.get();
        }
      } finally {
        for (Future<?> f : running) {
          f.cancel(true);
        }
      }
    }
    drain(relay);
    recordFrom = Long.MAX_VALUE;
    Histogram h = recorder.getIntervalHistogram();
    double achieved = (sent.get() - sentBefore) / ((end - start) / 1e9);
    return new Latency(h, achieved);
  }

  /**
   * Sleeps {@code seconds}, checking each second that no sender failed (or, unless {@code
   * mayFinish}, stopped) and that the relay is sound.
   */
  private void watch(
      Relay relay,
      double seconds,
      String phase,
      List<Future<?>> running,
      boolean mayFinish,
      Runnable check)
      throws Exception {
    long until = System.nanoTime() + Math.round(seconds * 1e9);
    long lastCount = delivered.sum();
    long lastTime = System.nanoTime();
    while (true) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Thread.sleep(Math.max(1, Math.min(WATCH_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
      for (Future<?> f : running) {
        if (f.isDone()) {
          f.get(); // throws the sender's failure
          if (!mayFinish) {
            throw new IllegalStateException("a sender stopped early");
          }
        }
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      check.run();
      long count = delivered.sum();
      long time = System.nanoTime();
      Progress.log(
          "  %s %s: %.0f delivered/s",
          relay.name(), phase, (count - lastCount) / ((time - lastTime) / 1e9));
      lastCount = count;
      lastTime = time;
    }
  }

  /** Waits until everything sent has been delivered; fails after {@link #DRAIN_SECONDS}. */
  private void drain(Relay relay) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    while (delivered.sum() < sent.get()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            relay.name()
                + ": "
                + (sent.get() - delivered.sum())
                + " payloads sent were never delivered");
      }
      Thread.sleep(DRAIN_POLL_MILLIS);
    }
    // Paced runs release window room they never took: start every closed loop from a full window.
    for (Semaphore w : windows) {
      w.drainPermits();
      w.release(WINDOW);
    }
  }
}
