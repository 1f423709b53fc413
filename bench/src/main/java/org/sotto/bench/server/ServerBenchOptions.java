package org.sotto.bench.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of {@link ServerBench}.
 *
 * @param seconds measured time of each relay run (the steady window)
 * @param warmup unmeasured time before it, same load
 * @param pairs sender/recipient pairs
 * @param connections idle WebSockets for {@code idle_connections}
 * @param redisHost the Redis server of the baseline (started privately if none answers there)
 * @param redisPort its port
 * @param serverClasspath classpath of the Sotto command line ({@code org.sotto.cli.SottoMain})
 * @param figures the figures to measure
 */
record ServerBenchOptions(
    double seconds,
    double warmup,
    int pairs,
    int connections,
    String redisHost,
    int redisPort,
    String serverClasspath,
    Set<String> figures) {

  /** The figures, in the order they are measured. */
  static final List<String> FIGURES = List.of("relay_durable", "latency_p99", "idle_connections");

  /** The load: 200 connected sender/recipient pairs. */
  static final int DEFAULT_PAIRS = 200;

  /**
   * Idle connections by default: as close to the 20,000 target as one server process can hold on
   * the bench machine, whose hard limit is 20,000 open files per process; the server also holds its
   * jars, database files, selectors and listening socket open (about 100 files), so 19,500 leaves a
   * margin. See bench/README.md.
   */
  static final int DEFAULT_CONNECTIONS = 19_500;

  /** Measured seconds per relay run by default: long enough to span many group commits and GCs. */
  static final double DEFAULT_SECONDS = 10;

  /**
   * Warm-up by default: the JIT compiles the hot paths of server and load generator in it (with 5 s
   * the server was still compiling its send path: about 40 % lower rates).
   */
  static final double DEFAULT_WARMUP = 10;

  /** Where Redis usually answers. */
  static final String DEFAULT_REDIS = "127.0.0.1:6379";

  private static final Set<String> FLAGS =
      Set.of(
          "--seconds",
          "--warmup",
          "--pairs",
          "--connections",
          "--redis",
          "--server-classpath",
          "--figures");

  static final String USAGE =
      "usage: ServerBench --server-classpath CP [--seconds N] [--warmup N] [--pairs N]"
          + " [--connections N] [--redis HOST:PORT] [--figures relay_durable,latency_p99,idle_connections]";

  ServerBenchOptions {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be > 0");
    }
    if (!(warmup >= 0)) {
      throw new IllegalArgumentException("--warmup must be >= 0");
    }
    if (pairs < 1) {
      throw new IllegalArgumentException("--pairs must be a positive integer");
    }
    if (connections < 1) {
      throw new IllegalArgumentException("--connections must be a positive integer");
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
  static ServerBenchOptions parse(String[] args) {
    double seconds = DEFAULT_SECONDS;
    double warmup = DEFAULT_WARMUP;
    int pairs = DEFAULT_PAIRS;
    int connections = DEFAULT_CONNECTIONS;
    String redis = DEFAULT_REDIS;
    String classpath = null;
    List<String> figures = FIGURES;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String flagName = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
      if (!FLAGS.contains(flagName)) {
        throw new IllegalArgumentException("unknown argument " + flagName + "\n" + USAGE);
      }
      String value;
      int eq = flag.indexOf('=');
      if (eq >= 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      }
      try {
        switch (flag) {
          case "--seconds" -> seconds = Double.parseDouble(value);
          case "--warmup" -> warmup = Double.parseDouble(value);
          case "--pairs" -> pairs = Integer.parseInt(value);
          case "--connections" -> connections = Integer.parseInt(value);
          case "--redis" -> redis = value;
          case "--server-classpath" -> classpath = value;
          case "--figures" -> {
            figures = new ArrayList<>();
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
          }
          default -> throw new IllegalArgumentException("unknown argument " + flag + "\n" + USAGE);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs a number, not '" + value + "'");
      }
    }
    int colon = redis.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--redis must be HOST:PORT");
    }
    int redisPort;
    try {
      redisPort = Integer.parseInt(redis.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--redis must be HOST:PORT");
    }
    return new ServerBenchOptions(
        seconds,
        warmup,
        pairs,
        connections,
        redis.substring(0, colon),
        redisPort,
        classpath,
        Set.copyOf(figures));
  }

  /** Whether {@code figure} is to be measured. */
  boolean wants(String figure) {
    return figures.contains(figure);
  }
}
