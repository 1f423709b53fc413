package org.sotto.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.PostgresTestDatabase;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestServer;

/**
 * Two real {@code sotto server} processes, nodes A and B, on free loopback ports, started with the
 * same arguments (the shared database and Redis) and their own node ids and data folders (the
 * sealed-sender keys are shared through the database). Also the SDK clients of the test, each with
 * its store in the cluster's temp folder. Not thread-safe.
 */
final class Cluster implements AutoCloseable {
  /** The nodes, in start order. */
  static final int NODES = 2;

  /** Lines of each node's log quoted in a failure message. */
  static final int LOG_TAIL_LINES = 40;

  private final Path dir;
  private final List<String> args;
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final List<SottoClient> clients = new ArrayList<>();

  private Cluster(Path dir, List<String> args) {
    this.dir = dir;
    this.args = List.copyOf(args);
  }

  /**
   * The node arguments for {@code db} (the shared test PostgreSQL) and the Redis at {@code redis}.
   */
  static List<String> args(PostgresTestDatabase db, String redis) {
    return List.of("--db", db.url(), "--db-user", db.user(), "--redis", redis);
  }

  /** Starts nodes A and B with {@code args} (--db …, --redis …). */
  static Cluster start(String name, List<String> args) throws Exception {
    Cluster c = new Cluster(Files.createTempDirectory("sotto-cluster-" + name), args);
    try {
      for (int i = 0; i < NODES; i++) {
        Files.createDirectories(c.dataDir(i));
        c.nodes.add(c.startNode(i));
      }
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  /** Distinguishes this run's node ids from any other's. */
  private static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 8);

  private Path dataDir(int node) {
    return dir.resolve("node-" + name(node));
  }

  private static String name(int node) {
    return String.valueOf((char) ('a' + node));
  }

  private ServerProcess startNode(int node) throws Exception {
    List<String> a = new ArrayList<>(args);
    // Unique on a shared Redis: a node left running elsewhere must not answer on this one's
    // channel.
    a.addAll(List.of("--node-id", "node-" + name(node) + "-" + RUN));
    return ServerProcess.start(
        dataDir(node), dir.resolve("node-" + name(node) + ".log"), a.toArray(String[]::new));
  }

  /** Node A (0) or B (1). */
  ServerProcess node(int i) {
    return nodes.get(i);
  }

  /** Node A. */
  ServerProcess a() {
    return nodes.get(0);
  }

  /** Node B. */
  ServerProcess b() {
    return nodes.get(1);
  }

  /** The cluster's temp folder. */
  Path dir() {
    return dir;
  }

  /** Registers {@code handle} with the SDK against {@code server}; closed with the cluster. */
  SottoClient register(String handle, URI server) throws Exception {
    SottoClient c = SottoClient.register(server, handle, dir.resolve("client-" + handle), null);
    clients.add(c);
    return c;
  }

  /** The last lines of every node's log, for a failure message. */
  String logs() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      b.append("--- node ").append(name(i)).append(" ---\n");
      try {
        // Jedis warns about RESP3 on every connection; the lines say nothing about the failure.
        List<String> lines =
            Files.readAllLines(dir.resolve("node-" + name(i) + ".log")).stream()
                .filter(l -> !l.contains("RESP3"))
                .toList();
        b.append(
            String.join(
                "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())));
      } catch (IOException e) {
        b.append("(no log)");
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Messages the node accepted so far ({@code sotto_messages_accepted_total} on /metrics). */
  static long accepted(ServerProcess node) {
    TestClient.Result r = new TestClient(node.uri()).call("GET", "/metrics", null, null);
    assertEquals(200, r.status(), "/metrics");
    double sum = 0;
    boolean found = false;
    for (String line : r.text().split("\n")) {
      if (line.startsWith("sotto_messages_accepted_total")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    assertTrue(found, "/metrics has sotto_messages_accepted_total");
    return Math.round(sum);
  }

  /** The node's {@code /healthz} fan-out: "redis", "polling" (degraded) or "local". */
  static String fanout(ServerProcess node) {
    TestClient.Result r = new TestClient(node.uri()).call("GET", "/healthz", null, null);
    assertEquals(200, r.status(), "/healthz answers while degraded");
    return r.json().get("fanout").asText();
  }

  @Override
  public void close() throws Exception {
    try {
      for (SottoClient c : clients) {
        try {
          c.close();
        } catch (Exception e) {
          // Closing the others matters more.
        }
      }
      for (ServerProcess n : nodes) {
        n.close();
      }
    } finally {
      TestServer.deleteTree(dir);
    }
  }
}
