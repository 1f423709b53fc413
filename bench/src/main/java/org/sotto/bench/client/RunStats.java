package org.sotto.bench.client;

import java.util.Arrays;
import java.util.Locale;

/**
 * The median, minimum and maximum of a few timed runs, and the result line of {@code
 * cli_first_message}. Immutable.
 *
 * @param median the median in milliseconds (the mean of the two middle runs for an even count)
 * @param min the fastest run in milliseconds
 * @param max the slowest run in milliseconds
 * @param runs how many runs
 * @param cpuMedian the median CPU time of the runs in milliseconds, or NaN when not measured
 */
record RunStats(double median, double min, double max, int runs, double cpuMedian) {
  /** The statistics of {@code millis} (at least one run). */
  static RunStats of(double... millis) {
    if (millis.length == 0) {
      throw new IllegalArgumentException("no runs");
    }
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new RunStats(median, sorted[0], sorted[n - 1], n, Double.NaN);
  }

  /** These statistics with the median CPU time {@code cpuMillis}. */
  RunStats withCpu(double cpuMillis) {
    return new RunStats(median, min, max, runs, cpuMillis);
  }

  /**
   * {@code figure=NAME ms=MEDIAN runs=N min=MIN max=MAX}, whole milliseconds, then {@code
   * cpu_ms=CPU} when the CPU time was measured.
   */
  String line(String figure) {
    String line =
        String.format(
            Locale.ROOT,
            "figure=%s ms=%d runs=%d min=%d max=%d",
            figure,
            Math.round(median),
            runs,
            Math.round(min),
            Math.round(max));
    return Double.isNaN(cpuMedian) ? line : line + " cpu_ms=" + Math.round(cpuMedian);
  }

  /** {@code figure=NAME sotto=N/s baseline=M/s ratio=R} for a rate and its baseline. */
  static String rateLine(String figure, double sotto, double baseline) {
    return String.format(
        Locale.ROOT,
        "figure=%s sotto=%d/s baseline=%d/s ratio=%.2f",
        figure,
        Math.round(sotto),
        Math.round(baseline),
        sotto / baseline);
  }
}
