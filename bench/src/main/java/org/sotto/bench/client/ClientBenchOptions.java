package org.sotto.bench.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of {@link ClientBench}.
 *
 * @param runs cold CLI runs of {@code cli_first_message}; the median is reported
 * @param seconds measured window of {@code sdk_end_to_end} and of its baseline
 * @param warmup unmeasured time before each window, same load
 * @param serverClasspath classpath of the Sotto command line ({@code org.sotto.cli.SottoMain}),
 *     used for the server process and for the CLI processes
 * @param figures the figures to measure
 * @param launcherOrNull the {@code sotto} launcher script; when set, {@code cli_first_message} runs
 *     it (as a user does), else a plain JVM on {@code serverClasspath}
 */
record ClientBenchOptions(
    int runs,
    double seconds,
    double warmup,
    String serverClasspath,
    Set<String> figures,
    String launcherOrNull) {

  /** The figures, in the order they are measured. */
  static final List<String> FIGURES =
      List.of("cli_first_message", "sdk_end_to_end", "sdk_contacts");

  /**
   * The figures measured without {@code --figures}: the two. {@code sdk_contacts} (the same
   * two clients once they are contacts, so every message is sealed) is asked for by name.
   */
  static final List<String> DEFAULT_FIGURES = List.of("cli_first_message", "sdk_end_to_end");

  /**
   * Cold CLI runs by default (issue 5's brief): enough for a median that one outlier cannot move.
   */
  static final int DEFAULT_RUNS = 5;

  /** Measured seconds by default: many thousands of messages at the target rate. */
  static final double DEFAULT_SECONDS = 10;

  /**
   * Warm-up by default: the JIT compiles the SDK's and the server's hot paths in it. Two SDK
   * clients and a server on 2 cores keep their C2 compilers busy for over a minute: with 10 s the
   * measured window showed about a third of the steady rate, and the rate still climbed until about
   * 90 s (27 November runs with a 90 s warm-up).
   */
  static final double DEFAULT_WARMUP = 90;

  private static final Set<String> FLAGS =
      Set.of("--runs", "--seconds", "--warmup", "--server-classpath", "--figures", "--launcher");

  static final String USAGE =
      "usage: ClientBench --server-classpath CP [--launcher PATH] [--runs N] [--seconds N]"
          + " [--warmup N] [--figures cli_first_message,sdk_end_to_end,sdk_contacts]";

  ClientBenchOptions {
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be a positive integer");
    }
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be > 0");
    }
    if (!(warmup >= 0)) {
      throw new IllegalArgumentException("--warmup must be >= 0");
    }
    if (serverClasspath == null || serverClasspath.isBlank()) {
      throw new IllegalArgumentException("--server-classpath is required\n" + USAGE);
    }
    figures = Set.copyOf(figures);
    if (figures.isEmpty()) {
      throw new IllegalArgumentException("--figures names no figure");
    }
  }

  /** Parses {@code --flag value} and {@code --flag=value}. */
  static ClientBenchOptions parse(String[] args) {
    int runs = DEFAULT_RUNS;
    double seconds = DEFAULT_SECONDS;
    double warmup = DEFAULT_WARMUP;
    String classpath = null;
    String launcher = null;
    List<String> figures = DEFAULT_FIGURES;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      int eq = flag.indexOf('=');
      String value;
      if (eq >= 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else {
        value = null;
      }
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown argument " + flag + "\n" + USAGE);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        }
        value = args[++i];
      }
      try {
        switch (flag) {
          case "--runs" -> runs = Integer.parseInt(value);
          case "--seconds" -> seconds = Double.parseDouble(value);
          case "--warmup" -> warmup = Double.parseDouble(value);
          case "--server-classpath" -> classpath = value;
          case "--launcher" -> launcher = value;
          case "--figures" -> figures = parseFigures(value);
          default -> throw new IllegalArgumentException("unknown argument " + flag + "\n" + USAGE);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs a number, not '" + value + "'");
      }
    }
    return new ClientBenchOptions(runs, seconds, warmup, classpath, Set.copyOf(figures), launcher);
  }

  private static List<String> parseFigures(String value) {
    List<String> figures = new ArrayList<>();
    for (String f : value.split(",")) {
      String name = f.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (!FIGURES.contains(name)) {
        throw new IllegalArgumentException(
            "unknown figure " + name + "; known: " + String.join(",", FIGURES));
      }
      figures.add(name);
    }
    return figures;
  }

  /** Whether {@code figure} is to be measured. */
  boolean wants(String figure) {
    return figures.contains(figure);
  }
}
