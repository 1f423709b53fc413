package org.sotto.bench.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bench/run server}: a real Sotto server process on loopback and this JVM as the load
 * generator, with Redis pub/sub as the baseline in the same run. Prints one line per figure on
 * stdout ({@code figure=relay_durable sotto=N/s baseline=M/s ratio=R}, {@code figure=latency_p99
 * sotto=Xms …}, {@code figure=idle_connections sotto=N heap_per_conn=KKiB}); progress goes to
 * stderr. bench/README.md defines each figure.
 *
 * <pre>
 * java -cp … org.sotto.bench.server.ServerBench --server-classpath CP [--seconds 10] [--warmup 5]
 *     [--pairs 200] [--connections 19500] [--redis 127.0.0.1:6379] [--figures a,b]
 * </pre>
 */
public final class ServerBench {
  private ServerBench() {}

  /** Runs the benchmark; exits with 2 on bad arguments, 1 on a failure. */
  public static void main(String[] args) {
    ServerBenchOptions options;
    try {
      options = ServerBenchOptions.parse(args);
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

  private static void run(ServerBenchOptions options) throws Exception {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Path tmp = Files.createTempDirectory("sotto-bench-server");
    Progress.log(
        "sotto server bench: figures=%s pairs=%d payload=%dB warmup=%ss seconds=%ss connections=%d jdk=%s",
        ServerBenchOptions.FIGURES.stream().filter(options::wants).toList(),
        options.pairs(),
        Payload.BYTES,
        options.warmup(),
        options.seconds(),
        options.connections(),
        Runtime.version());
    BenchAccounts accounts = BenchAccounts.generate(new SecureRandom());
    try (RedisEndpoint redis =
            options.wants("relay_durable")
                ? RedisEndpoint.findOrStart(options.redisHost(), options.redisPort())
                : null;
        ServerProcess server =
            ServerProcess.start(
                java, options.serverClasspath(), tmp.resolve("data"), tmp.resolve("server.log"))) {
      Progress.log("bench: Sotto server (pid %d) listening on %s", server.pid(), server.uri());
      try {
        measure(options, java, accounts, redis, server);
      } catch (Exception | Error e) {
        Progress.log("bench: the last lines of the server's log:\n%s", server.logTail());
        throw e;
      }
    } finally {
      deleteTree(tmp);
    }
  }

  private static void measure(
      ServerBenchOptions options,
      Path java,
      BenchAccounts accounts,
      RedisEndpoint redis,
      ServerProcess server)
      throws Exception {
    boolean relay = options.wants("relay_durable");
    boolean latency = options.wants("latency_p99");
    {
      if (relay || latency) {
        RelayLoad.Throughput sotto;
        RelayLoad.Latency lat = null;
        try (SottoRelay r = new SottoRelay(server.uri(), accounts)) {
          RelayLoad load = new RelayLoad(options.pairs());
          r.open(options.pairs(), load.delivery());
          Runnable check =
              () -> {
                server.checkAlive();
                r.checkSockets();
              };
          Progress.log("bench: relay_durable, sotto, %d pairs", options.pairs());
          sotto = load.closedLoop(r, options.warmup(), options.seconds(), check);
          Progress.log(
              "  sotto: %d delivered in %.2f s = %.0f/s",
              sotto.delivered(), sotto.seconds(), sotto.perSecond());
          if (sotto.delivered() == 0) {
            throw new IllegalStateException(
                "the Sotto relay delivered nothing in the measured time");
          }
          if (latency) {
            double rate = sotto.perSecond() / 2;
            Progress.log("bench: latency_p99, sotto, paced at %.0f/s", rate);
            lat = load.paced(r, rate, options.warmup(), options.seconds(), check);
            Progress.log(
                "  sotto: %d latencies, p50 %.2f ms, p99 %.2f ms, max %.2f ms, at %.0f/s",
                lat.micros().getTotalCount(),
                lat.millis(50),
                lat.millis(99),
                lat.micros().getMaxValue() / 1000.0,
                lat.ratePerSecond());
          }
        }
        if (relay) {
          RelayLoad.Throughput baseline;
          try (RedisRelay r = new RedisRelay(redis.host(), redis.port())) {
            RelayLoad load = new RelayLoad(options.pairs());
            r.open(options.pairs(), load.delivery());
            Progress.log(
                "bench: relay_durable, Redis %s pub/sub, %d pairs",
                redis.version(), options.pairs());
            baseline = load.closedLoop(r, options.warmup(), options.seconds(), () -> {});
            Progress.log(
                "  redis: %d delivered in %.2f s = %.0f/s",
                baseline.delivered(), baseline.seconds(), baseline.perSecond());
          }
          result(
              "figure=relay_durable sotto=%d/s baseline=%d/s ratio=%.2f",
              Math.round(sotto.perSecond()),
              Math.round(baseline.perSecond()),
              sotto.perSecond() / baseline.perSecond());
        }
        if (lat != null) {
          result(
              "figure=latency_p99 sotto=%.1fms rate=%d/s p50=%.1fms max=%.1fms",
              lat.millis(99),
              Math.round(lat.ratePerSecond()),
              lat.millis(50),
              lat.micros().getMaxValue() / 1000.0);
        }
      }
      if (options.wants("idle_connections")) {
        Progress.log("bench: idle_connections, %d WebSockets", options.connections());
        IdleConnections.Result idle =
            new IdleConnections(server, java).run(accounts, options.connections());
        if (idle.connectedGauge() >= 0) {
          Progress.log("  the server's sotto_devices_connected gauge: %d", idle.connectedGauge());
        }
        result(
            "figure=idle_connections sotto=%d heap_per_conn=%.1fKiB",
            idle.connections(), idle.heapBytesPerConnection() / 1024);
      }
    }
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
