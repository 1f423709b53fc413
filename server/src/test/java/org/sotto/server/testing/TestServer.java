package org.sotto.server.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.sotto.server.ServerConfig;
import org.sotto.server.SottoServer;
import org.sotto.server.messages.MessageLimits;

/**
 * A real server in this JVM on a free loopback port with a fresh data folder; closing it stops the
 * server and deletes the folder. For tests.
 */
public final class TestServer implements AutoCloseable {
  private final Path dataDir;
  private final SottoServer server;
  private final boolean deleteOnClose;

  private TestServer(Path dataDir, SottoServer server, boolean deleteOnClose) {
    this.dataDir = dataDir;
    this.server = server;
    this.deleteOnClose = deleteOnClose;
  }

  /** Defaults (open registration, no proof-of-work). */
  public static TestServer start() throws Exception {
    return start(c -> c);
  }

  /** Defaults changed by {@code tweak}. */
  public static TestServer start(UnaryOperator<ServerConfig> tweak) throws Exception {
    Path dir = Files.createTempDirectory("sotto-server-test");
    ServerConfig config = tweak.apply(testDefaults(dir));
    return new TestServer(dir, SottoServer.start(config), true);
  }

  /** Defaults, with other message-queue limits (overflow and expiry tests). */
  public static TestServer start(MessageLimits limits) throws Exception {
    Path dir = Files.createTempDirectory("sotto-server-test");
    return new TestServer(dir, SottoServer.start(testDefaults(dir), limits), true);
  }

  /**
   * Defaults on the PostgreSQL database {@code database} (cluster mode) instead of SQLite; the data
   * folder still holds attachments.
   */
  public static TestServer startOnPostgres(PostgresTestDatabase database) throws Exception {
    return start(c -> c.toBuilder().dbUrl(database.url()).dbUser(database.user()).build());
  }

  /** A server on an existing data folder, which is kept on close (restart tests). */
  public static TestServer startOn(Path dataDir) throws Exception {
    ServerConfig config = testDefaults(dataDir);
    return new TestServer(dataDir, SottoServer.start(config), false);
  }

  /** Defaults on a free loopback port, with registration limits high enough for test suites. */
  public static ServerConfig testDefaults(Path dataDir) {
    return ServerConfig.defaults(dataDir).listen("127.0.0.1", 0).registrationsPerHour(1_000_000);
  }

  /** The base URI. */
  public URI uri() {
    return server.uri();
  }

  /** The data folder. */
  public Path dataDir() {
    return dataDir;
  }

  /** The running server. */
  public SottoServer server() {
    return server;
  }

  /** A client speaking to this server. */
  public TestClient client() {
    return new TestClient(uri());
  }

  @Override
  public void close() throws IOException {
    server.close();
    if (deleteOnClose) {
      deleteTree(dataDir);
    }
  }

  /** Deletes a folder tree. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
