package org.sotto.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options of {@link ProtocolBench}, the same flags as {@code bench.mjs}.
 *
 * @param seconds measured time of one run
 * @param warmup unmeasured warm-up per figure, same work as a run (0 = none)
 * @param runs runs per figure; the figure is their median
 * @param figures the figures to measure, in order
 */
record BenchOptions(double seconds, double warmup, int runs, List<Figure> figures) {
  /**
   * Default warm-up per figure. Longer than the 1 s of {@code bench.mjs}: libsignal's Rust code is
   * compiled ahead of time, while HotSpot compiles the hot paths with C2 only after thousands of
   * calls, and the benchmark compares steady states, not start-up. Measured on a 2-core machine,
   * session_setup still gains about 10% between 1 s and 5 s of warm-up and nothing after that.
   */
  static final double DEFAULT_WARMUP_SECONDS = 5;

  static final String USAGE =
      "usage: ProtocolBench [--seconds N] [--warmup N] [--runs N] [--figures session_setup,two_way,one_way]";

  BenchOptions {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be > 0");
    }
    if (!(warmup >= 0)) {
      throw new IllegalArgumentException("--warmup must be >= 0");
    }
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be a positive integer");
    }
    figures = List.copyOf(figures);
  }

  /** Parses {@code --flag value} and {@code --flag=value}. */
  static BenchOptions parse(String[] args) {
    double seconds = 3;
    double warmup = DEFAULT_WARMUP_SECONDS;
    int runs = 3;
    List<Figure> figures = Arrays.asList(Figure.values());
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value;
      int eq = flag.indexOf('=');
      if (eq >= 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      switch (flag) {
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--warmup" -> warmup = Double.parseDouble(value);
        case "--runs" -> runs = Integer.parseInt(value);
        case "--figures" -> {
          figures = new ArrayList<>();
          for (String f : value.split(",")) {
            if (!f.isBlank()) {
              figures.add(Figure.fromKey(f.trim()));
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown argument " + flag + "\n" + USAGE);
      }
    }
    return new BenchOptions(seconds, warmup, runs, figures);
  }
}
