package org.sotto.bench.server;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bench/run cluster}: the {@code relay_durable} closed loop of {@code bench/run server}
 * ({@link RelayLoad}, {@link SottoRelay}) on three setups in one run, each on real server processes
 * started as an operator starts them: one node on SQLite, one node on PostgreSQL, and two nodes on
 * one PostgreSQL database with Redis between them (senders on node A, recipients connected to node
 * B). Then {@code cross_node_p99}: the paced latency at half the two-node rate, recipients on B
 * (cross node) and on A (same node). Each PostgreSQL setup gets a fresh, randomly named database,
 * dropped afterwards. Prints one line per figure, with its target, on stdout; progress on stderr.
 * bench/README.md defines each figure.
 *
 * <pre>
 * java -cp … org.sotto.bench.server.ClusterBench --server-classpath CP [--seconds 10] [--warmup 10]
 *     [--pairs 200] [--postgres 127.0.0.1:5432] [--postgres-user postgres] [--redis 127.0.0.1:6379]
 * </pre>
 */
public final class ClusterBench {
  /** Target of issue 6: one node on PostgreSQL relays at least this many envelopes per second. */
  static final double POSTGRES_TARGET_PER_SECOND = 4_000;

  /** Target of issue 6: two nodes relay at least this fraction of one PostgreSQL node's rate. */
  static final double TWO_NODE_RATIO_TARGET = 0.7;

  /** Target of issue 6: crossing nodes adds less than this to the p99 latency, in milliseconds. */
  static final double ADDED_P99_TARGET_MS = 30;

  /**
   * A p99 above this at half the measured rate means the nodes fell behind the paced load: the
   * latencies then measure a growing backlog, and the difference of two of them means nothing, so
   * the target counts as missed and the nodes' logs are printed.
   */
  static final double MAX_CREDIBLE_P99_MS = 1_000;

  /**
   * A load average above this per core before the bench starts means other processes are using the
   * machine (an idle one reads near 0); the bench's own processes load it during the run, so only
   * the reading before it says whether others are there.
   */
  static final double BUSY_LOAD_PER_CORE = 0.5;

  private ClusterBench() {}

  /** Runs the benchmark; exits with 2 on bad arguments, 1 on a failure. */
  public static void main(String[] args) {
    ClusterBenchOptions options;
    try {
      options = ClusterBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      run(options);
    } catch (Exception e) {
      System.err.print("bench failed: ");
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** One setup's server processes, stopped in reverse order. */
  private static final class Nodes implements AutoCloseable {
    final List<ServerProcess> processes = new ArrayList<>();

    void checkAlive() {
      for (ServerProcess p : processes) {
        p.checkAlive();
      }
    }

    String logTails() {
      StringBuilder b = new StringBuilder();
      for (ServerProcess p : processes) {
        b.append("--- node ").append(p.uri()).append(" ---\n").append(p.logTail()).append('\n');
      }
      return b.toString();
    }

    @Override
    public void close() throws InterruptedException {
      for (ServerProcess p : processes.reversed()) {
        p.close();
      }
    }
  }

  private static void run(ClusterBenchOptions o) throws Exception {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Path tmp = Files.createTempDirectory("sotto-bench-cluster");
    double startLoad = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Progress.log(
        "sotto cluster bench: pairs=%d payload=%dB warmup=%ss seconds=%ss postgres=%s:%d jdk=%s"
            + " load_average=%.1f",
        o.pairs(),
        Payload.BYTES,
        o.warmup(),
        o.seconds(),
        o.postgresHost(),
        o.postgresPort(),
        Runtime.version(),
        startLoad);
    BenchAccounts accounts = BenchAccounts.generate(new SecureRandom());
    try (RedisEndpoint redis = RedisEndpoint.findOrStart(o.redisHost(), o.redisPort())) {
      double sqlite;
      try (Nodes n = new Nodes()) {
        n.processes.add(start(o, java, tmp, "sqlite", List.of()));
        sqlite = throughput(o, accounts, n, n.processes.get(0).uri(), n.processes.get(0).uri());
      }
      result("figure=relay_durable setup=sqlite_1node sotto=%d/s", Math.round(sqlite));

      double postgres;
      try (BenchDatabase db =
              BenchDatabase.create(o.postgresHost(), o.postgresPort(), o.postgresUser(), "1node");
          Nodes n = new Nodes()) {
        n.processes.add(start(o, java, tmp, "postgres", db.serverArgs()));
        URI node = n.processes.get(0).uri();
        postgres = throughput(o, accounts, n, node, node);
      }
      result(
          "figure=relay_durable setup=postgres_1node sotto=%d/s target=%d/s met=%s",
          Math.round(postgres),
          Math.round(POSTGRES_TARGET_PER_SECOND),
          yesNo(postgres >= POSTGRES_TARGET_PER_SECOND));

      try (BenchDatabase db =
              BenchDatabase.create(o.postgresHost(), o.postgresPort(), o.postgresUser(), "2nodes");
          Nodes n = new Nodes()) {
        List<String> args = new ArrayList<>(db.serverArgs());
        args.addAll(List.of("--redis", "redis://" + redis.host() + ":" + redis.port()));
        n.processes.add(start(o, java, tmp, "node-a", withNodeId(args, "node-a")));
        n.processes.add(start(o, java, tmp, "node-b", withNodeId(args, "node-b")));
        URI a = n.processes.get(0).uri();
        URI b = n.processes.get(1).uri();
        double two = throughput(o, accounts, n, a, b);
        double ratio = two / postgres;
        result(
            "figure=relay_durable setup=postgres_redis_2nodes sotto=%d/s ratio=%.2f target=%.2f"
                + " met=%s",
            Math.round(two), ratio, TWO_NODE_RATIO_TARGET, yesNo(ratio >= TWO_NODE_RATIO_TARGET));

        double rate = two / 2;
        RelayLoad.Latency cross = latency(o, accounts, n, a, b, rate, "cross node (A to B)");
        RelayLoad.Latency same = latency(o, accounts, n, a, a, rate, "same node (A to A)");
        double added = cross.millis(99) - same.millis(99);
        boolean credible =
            cross.millis(99) <= MAX_CREDIBLE_P99_MS && same.millis(99) <= MAX_CREDIBLE_P99_MS;
        if (!credible) {
          Progress.log(
              "bench/run: warning: a paced run's p99 is over %.0f ms at half the measured rate:"
                  + " the nodes fell behind, so cross_node_p99 counts as missed. The last lines"
                  + " of the nodes' logs:%n%s",
              MAX_CREDIBLE_P99_MS, n.logTails());
        }
        result(
            "figure=cross_node_p99 ms=%.1f rate=%d/s same_node_p99=%.1f added=%.1f target=%.0fms"
                + " met=%s",
            cross.millis(99),
            Math.round(cross.ratePerSecond()),
            same.millis(99),
            added,
            ADDED_P99_TARGET_MS,
            yesNo(credible && added < ADDED_P99_TARGET_MS));
      }
    } finally {
      deleteTree(tmp);
    }
    Progress.log(
        "bench: load average %.1f at the end (the bench's own processes count in it)",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    int cores = Runtime.getRuntime().availableProcessors();
    if (startLoad > cores * BUSY_LOAD_PER_CORE) {
      Progress.log(
          "bench/run: warning: the machine was busy before the bench started (load average %.1f"
              + " on %d cores); other processes shared the cores with the nodes, so the figures are"
              + " low and noisy: measure again on an idle machine",
          startLoad, cores);
    }
  }

  private static List<String> withNodeId(List<String> args, String id) {
    List<String> out = new ArrayList<>(args);
    out.addAll(List.of("--node-id", id));
    return out;
  }

  private static ServerProcess start(
      ClusterBenchOptions o, Path java, Path tmp, String name, List<String> args) throws Exception {
    ServerProcess p =
        ServerProcess.start(
            java,
            o.serverClasspath(),
            Files.createDirectories(tmp.resolve(name)),
            tmp.resolve(name + ".log"),
            args);
    Progress.log("bench: %s node (pid %d) listening on %s", name, p.pid(), p.uri());
    return p;
  }

  /** The closed-loop relay_durable rate, senders on {@code send}, recipients on {@code deliver}. */
  private static double throughput(
      ClusterBenchOptions o, BenchAccounts accounts, Nodes nodes, URI send, URI deliver)
      throws Exception {
    try (SottoRelay r = new SottoRelay(send, deliver, accounts)) {
      RelayLoad load = new RelayLoad(o.pairs());
      r.open(o.pairs(), load.delivery());
      Progress.log("bench: relay_durable, %d pairs, send %s, deliver %s", o.pairs(), send, deliver);
      RelayLoad.Throughput t =
          load.closedLoop(
              r,
              o.warmup(),
              o.seconds(),
              () -> {
                nodes.checkAlive();
                r.checkSockets();
              });
      Progress.log("  %d delivered in %.2f s = %.0f/s", t.delivered(), t.seconds(), t.perSecond());
      if (t.delivered() == 0) {
        throw new IllegalStateException("the relay delivered nothing in the measured time");
      }
      return t.perSecond();
    } catch (Exception | Error e) {
      Progress.log("bench: the last lines of the servers' logs:\n%s", nodes.logTails());
      throw e;
    }
  }

  /** The paced latency at {@code rate}, senders on {@code send}, recipients on {@code deliver}. */
  private static RelayLoad.Latency latency(
      ClusterBenchOptions o,
      BenchAccounts accounts,
      Nodes nodes,
      URI send,
      URI deliver,
      double rate,
      String what)
      throws Exception {
    try (SottoRelay r = new SottoRelay(send, deliver, accounts)) {
      RelayLoad load = new RelayLoad(o.pairs());
      r.open(o.pairs(), load.delivery());
      Progress.log("bench: latency, %s, paced at %.0f/s", what, rate);
      RelayLoad.Latency l =
          load.paced(
              r,
              rate,
              o.warmup(),
              o.seconds(),
              () -> {
                nodes.checkAlive();
                r.checkSockets();
              });
      Progress.log(
          "  %d latencies, p50 %.2f ms, p99 %.2f ms, max %.2f ms, at %.0f/s",
          l.micros().getTotalCount(),
          l.millis(50),
          l.millis(99),
          l.micros().getMaxValue() / 1000.0,
          l.ratePerSecond());
      return l;
    } catch (Exception | Error e) {
      Progress.log("bench: the last lines of the servers' logs:\n%s", nodes.logTails());
      throw e;
    }
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  private static void result(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (Exception e) {
      Progress.log("bench: could not delete %s: %s", dir, e);
    }
  }
}
