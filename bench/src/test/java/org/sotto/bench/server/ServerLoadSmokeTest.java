package org.sotto.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.server.ServerConfig;
import org.sotto.server.SottoServer;

/**
 * Runs every workload of {@code bench/run server} briefly against an in-process server with a few
 * pairs, so that a server or contract change that breaks the benchmark fails the build, not the
 * next {@code bench/run server}. The Redis baseline needs a Redis server: without one the test
 * fails (it does not skip), because CI provides one.
 */
class ServerLoadSmokeTest {
  /** Where the build's Redis answers (CI starts one; so does a developer's machine). */
  static final String REDIS_HOST = "127.0.0.1";

  static final int REDIS_PORT = 6379;

  /** A handful of pairs: enough for concurrency, cheap enough for a unit test. */
  static final int PAIRS = 4;

  private static Path dataDir;
  private static SottoServer server;
  private static BenchAccounts accounts;

  @BeforeAll
  static void startServer() throws Exception {
    dataDir = Files.createTempDirectory("sotto-bench-smoke");
    server =
        SottoServer.start(
            ServerConfig.defaults(dataDir)
                .listen("127.0.0.1", 0)
                .registrationsPerHour(ServerProcess.REGISTRATIONS_PER_HOUR));
    accounts = BenchAccounts.generate(new SecureRandom());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    try (Stream<Path> walk = Files.walk(dataDir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void sottoRelay_closedLoopThenPaced_deliversEverythingAndMeasuresLatency() throws Exception {
    try (SottoRelay relay = new SottoRelay(server.uri(), accounts)) {
      RelayLoad load = new RelayLoad(PAIRS);
      relay.open(PAIRS, load.delivery());

      RelayLoad.Throughput t = load.closedLoop(relay, 0.5, 1, relay::checkSockets);
      RelayLoad.Latency l = load.paced(relay, 40, 0.2, 1, relay::checkSockets);

      assertTrue(t.delivered() > 0, "nothing was delivered in the closed loop");
      assertTrue(l.micros().getTotalCount() > 0, "no latency was recorded");
      assertTrue(l.millis(99) > 0, "a latency of 0 ms is not a measurement");
    }
  }

  @Test
  void redisRelay_closedLoop_delivers() throws Exception {
    assertTrue(
        RedisEndpoint.answers(REDIS_HOST, REDIS_PORT),
        "no Redis server answers at "
            + REDIS_HOST
            + ":"
            + REDIS_PORT
            + "; the bench smoke test needs one for the baseline (start redis-server)");
    try (RedisRelay relay = new RedisRelay(REDIS_HOST, REDIS_PORT)) {
      RelayLoad load = new RelayLoad(PAIRS);
      relay.open(PAIRS, load.delivery());

      RelayLoad.Throughput t = load.closedLoop(relay, 0.2, 0.5, () -> {});

      assertTrue(t.delivered() > 0, "nothing was delivered through Redis");
    }
  }

  @Test
  void idleSockets_fewAccounts_allReadyAndHeapReadable() throws Exception {
    HttpClient http = new HttpClient();
    http.start();
    List<BenchAccount> idle;
    try {
      idle = accounts.register(http, server.uri(), 3, "smoke accounts");
    } finally {
      http.stop();
    }
    try (IdleSockets sockets = IdleSockets.open(server.uri(), idle)) {
      assertEquals(3, sockets.openCount());
    }
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    long used = new HeapProbe(java).usedAfterFullGc(ProcessHandle.current().pid());
    assertTrue(used > 0, "the heap reading was " + used);
  }

  @Test
  void benchAccount_line_roundTrips() {
    BenchAccount a =
        new BenchAccount("0b6f7e52-3a4c-4a43-9d0e-5a8f4f1f2c11", 1, "0123456789abcdef01234567", 77);
    assertEquals(a, BenchAccount.parse(a.line()));
  }

  @Test
  void payload_create_carriesPairAndStamp() {
    byte[] p = Payload.create(7, 3, 123_456_789L, new byte[Payload.BYTES]);
    assertEquals(Payload.BYTES, p.length);
    assertEquals(7, Payload.pair(p));
    assertEquals(123_456_789L, Payload.stamp(p));
  }
}
