package org.sotto.bench;

/**
 * The result of one measured run: operations done and the summed time of their batches.
 *
 * @param ops operations performed
 * @param nanos summed wall-clock batch time in nanoseconds
 * @param cpuNanos summed CPU time of the benchmark thread in those batches (0 if unknown)
 */
record Measurement(long ops, long nanos, long cpuNanos) {

  /**
   * Runs whole batches of {@code batchSize} ops until their summed time reaches {@code seconds}.
   */
  static Measurement measure(Workload workload, double seconds, int batchSize) throws Exception {
    long limit = Math.round(seconds * 1e9);
    Stopwatch stopwatch = new Stopwatch();
    long ops = 0;
    while (stopwatch.wallNanos() < limit) {
      workload.runBatch(batchSize, stopwatch);
      ops += batchSize;
    }
    return new Measurement(ops, stopwatch.wallNanos(), stopwatch.cpuNanos());
  }

  /** Operations per second of wall-clock time: the figure. */
  double opsPerSecond() {
    return ops / (nanos / 1e9);
  }

  /** Operations per second of CPU time, or NaN if unknown. */
  double opsPerCpuSecond() {
    return cpuNanos == 0 ? Double.NaN : ops / (cpuNanos / 1e9);
  }
}
