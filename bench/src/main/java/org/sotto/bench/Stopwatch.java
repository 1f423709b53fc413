package org.sotto.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Sums the wall-clock time (the figure) and the calling thread's CPU time (a check on the figure:
 * when the two differ much, something else was using the cores) of the measured sections of one
 * run. Not thread-safe.
 */
final class Stopwatch {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final boolean cpuTimed = threads.isCurrentThreadCpuTimeSupported();
  private long wallStart;
  private long cpuStart;
  private long wallNanos;
  private long cpuNanos;

  /** Starts a measured section. */
  void start() {
    cpuStart = cpuTimed ? threads.getCurrentThreadCpuTime() : 0;
    wallStart = System.nanoTime();
  }

  /** Ends a measured section. */
  void stop() {
    long wallEnd = System.nanoTime();
    wallNanos += wallEnd - wallStart;
    if (cpuTimed) {
      cpuNanos += threads.getCurrentThreadCpuTime() - cpuStart;
    }
  }

  /** Summed wall-clock time of the sections so far. */
  long wallNanos() {
    return wallNanos;
  }

  /** Summed CPU time of this thread in the sections so far; 0 if the JVM cannot tell. */
  long cpuNanos() {
    return cpuNanos;
  }
}
