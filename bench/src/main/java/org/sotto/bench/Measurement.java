package org.sotto.bench;

/**
 * The result of one measured run: operations done and the summed time of their batches.
 *
 * @param ops operations performed
 * @param nanos summed batch time in nanoseconds
 */
record Measurement(long ops, long nanos) {

  /** Runs whole batches of {@code batchSize} ops until their summed time reaches {@code seconds}. */
  static Measurement measure(Workload workload, double seconds, int batchSize) throws Exception {
    long limit = Math.round(seconds * 1e9);
    long nanos = 0;
    long ops = 0;
    while (nanos < limit) {
      nanos += workload.runBatch(batchSize);
      ops += batchSize;
    }
    return new Measurement(ops, nanos);
  }

  /** Operations per second over the measured time. */
  double opsPerSecond() {
    return ops / (nanos / 1e9);
  }
}
