package org.sotto.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.server.ServerConfig;
import org.sotto.server.SottoServer;

/**
 * Runs the workloads of {@code bench/run cluster} briefly with a few pairs against two in-process
 * nodes sharing a fresh database on the local PostgreSQL and the local Redis, so that a change that
 * breaks the cluster benchmark fails the build. Without PostgreSQL (127.0.0.1:5432, user postgres,
 * trust) or Redis (127.0.0.1:6379) the test fails; it does not skip.
 */
class ClusterLoadSmokeTest {
  /** A handful of pairs: enough for concurrency, cheap enough for a unit test. */
  static final int PAIRS = 4;

  private static BenchDatabase db;
  private static Path dataDir;
  private static SottoServer a;
  private static SottoServer b;
  private static BenchAccounts accounts;

  @BeforeAll
  static void startNodes() throws Exception {
    assertTrue(
        RedisEndpoint.answers(ServerLoadSmokeTest.REDIS_HOST, ServerLoadSmokeTest.REDIS_PORT),
        "no Redis answers at 127.0.0.1:6379; the cluster smoke test needs one");
    db =
        BenchDatabase.create("127.0.0.1", 5432, ClusterBenchOptions.DEFAULT_POSTGRES_USER, "smoke");
    dataDir = Files.createTempDirectory("sotto-bench-cluster-smoke");
    a = SottoServer.start(node("a"));
    b = SottoServer.start(node("b"));
    accounts = BenchAccounts.generate(new SecureRandom());
  }

  private static ServerConfig node(String id) throws Exception {
    return ServerConfig.builder(Files.createDirectories(dataDir.resolve(id)))
        .host("127.0.0.1")
        .port(0)
        .registrationsPerHour(ServerProcess.REGISTRATIONS_PER_HOUR)
        .dbUrl(db.serverArgs().get(1))
        .dbUser(ClusterBenchOptions.DEFAULT_POSTGRES_USER)
        .redisUrl(
            URI.create(
                "redis://" + ServerLoadSmokeTest.REDIS_HOST + ":" + ServerLoadSmokeTest.REDIS_PORT))
        .nodeId("smoke-" + id)
        .build();
  }

  @AfterAll
  static void stopNodes() throws Exception {
    try {
      for (SottoServer s : new SottoServer[] {a, b}) {
        if (s != null) {
          s.close();
        }
      }
    } finally {
      if (db != null) {
        db.close();
      }
      try (Stream<Path> walk = Files.walk(dataDir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void crossNodeRelay_closedLoopThenPaced_deliversEverythingAndMeasuresLatency() throws Exception {
    try (SottoRelay relay = new SottoRelay(a.uri(), b.uri(), accounts)) {
      RelayLoad load = new RelayLoad(PAIRS);
      relay.open(PAIRS, load.delivery());

      RelayLoad.Throughput t = load.closedLoop(relay, 0.5, 1, relay::checkSockets);
      RelayLoad.Latency l = load.paced(relay, 40, 0.2, 1, relay::checkSockets);

      assertTrue(t.delivered() > 0, "nothing was delivered across the nodes");
      assertTrue(l.micros().getTotalCount() > 0, "no latency was recorded");
      assertTrue(l.millis(99) > 0, "a latency of 0 ms is not a measurement");
    }
  }

  @Test
  void benchDatabase_serverArgs_nameTheFreshDatabase() {
    List<String> args = db.serverArgs();
    assertEquals("--db", args.get(0));
    assertEquals("postgresql://127.0.0.1:5432/" + db.name(), args.get(1));
    assertTrue(db.name().startsWith("sotto_bench_smoke_"), db.name());
    assertEquals(List.of("--db-user", "postgres"), args.subList(2, 4));
  }
}
