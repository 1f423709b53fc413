package org.sotto.bench.server;

import java.util.Set;

/**
 * Command-line options of {@link ClusterBench}.
 *
 * @param seconds measured time of each run (the steady window)
 * @param warmup unmeasured time before it, same load
 * @param pairs sender/recipient pairs
 * @param postgresHost the PostgreSQL server the setups get their fresh databases on
 * @param postgresPort its port
 * @param postgresUser the trust-authenticated user that creates the databases and that the nodes
 *     connect as
 * @param redisHost the Redis server of the two-node setup (started privately if none answers)
 * @param redisPort its port
 * @param serverClasspath classpath of the Sotto command line ({@code org.sotto.cli.SottoMain})
 */
record ClusterBenchOptions(
    double seconds,
    double warmup,
    int pairs,
    String postgresHost,
    int postgresPort,
    String postgresUser,
    String redisHost,
    int redisPort,
    String serverClasspath) {

  /**
   * Default warm-up per setup, in seconds: each setup starts new server JVMs, and on a 2-core
   * machine shared with PostgreSQL and the load generator their JIT compilers need 30–40 s to reach
   * a steady rate (with 10 s the measured window still climbed by half).
   */
  static final double DEFAULT_WARMUP = 40;

  /** Where PostgreSQL usually answers. */
  static final String DEFAULT_POSTGRES = "127.0.0.1:5432";

  /** The user a local PostgreSQL trusts by default. */
  static final String DEFAULT_POSTGRES_USER = "postgres";

  private static final Set<String> FLAGS =
      Set.of(
          "--seconds",
          "--warmup",
          "--pairs",
          "--postgres",
          "--postgres-user",
          "--redis",
          "--server-classpath");

  static final String USAGE =
      "usage: ClusterBench --server-classpath CP [--seconds N] [--warmup N] [--pairs N]"
          + " [--postgres HOST:PORT] [--postgres-user USER] [--redis HOST:PORT]";

  ClusterBenchOptions {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be > 0");
    }
    if (!(warmup >= 0)) {
      throw new IllegalArgumentException("--warmup must be >= 0");
    }
    if (pairs < 1) {
      throw new IllegalArgumentException("--pairs must be a positive integer");
    }
    if (postgresUser == null || !postgresUser.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("--postgres-user must be a plain identifier");
    }
    if (serverClasspath == null || serverClasspath.isBlank()) {
      throw new IllegalArgumentException("--server-classpath is required\n" + USAGE);
    }
  }

  /** Parses {@code --flag value} and {@code --flag=value}. */
  static ClusterBenchOptions parse(String[] args) {
    double seconds = ServerBenchOptions.DEFAULT_SECONDS;
    double warmup = DEFAULT_WARMUP;
    int pairs = ServerBenchOptions.DEFAULT_PAIRS;
    String postgres = DEFAULT_POSTGRES;
    String user = DEFAULT_POSTGRES_USER;
    String redis = ServerBenchOptions.DEFAULT_REDIS;
    String classpath = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      int eq = flag.indexOf('=');
      String value;
      if (eq >= 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (FLAGS.contains(flag) && i + 1 < args.length) {
        value = args[++i];
      } else if (FLAGS.contains(flag)) {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      } else {
        value = null;
      }
      try {
        switch (flag) {
          case "--seconds" -> seconds = Double.parseDouble(value);
          case "--warmup" -> warmup = Double.parseDouble(value);
          case "--pairs" -> pairs = Integer.parseInt(value);
          case "--postgres" -> postgres = value;
          case "--postgres-user" -> user = value;
          case "--redis" -> redis = value;
          case "--server-classpath" -> classpath = value;
          default -> throw new IllegalArgumentException("unknown argument " + flag + "\n" + USAGE);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs a number, not '" + value + "'");
      }
    }
    return new ClusterBenchOptions(
        seconds,
        warmup,
        pairs,
        host(postgres, "--postgres"),
        port(postgres, "--postgres"),
        user,
        host(redis, "--redis"),
        port(redis, "--redis"),
        classpath);
  }

  private static String host(String hostPort, String flag) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(flag + " must be HOST:PORT");
    }
    return hostPort.substring(0, colon);
  }

  private static int port(String hostPort, String flag) {
    try {
      int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be HOST:PORT");
    }
  }
}
