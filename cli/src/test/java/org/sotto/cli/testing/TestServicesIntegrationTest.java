package org.sotto.cli.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The private services of the cluster fault tests do what those tests rely on: a PostgreSQL that
 * keeps its data and port across a restart, a Redis that goes silent when stopped and answers on
 * the same port when started again, and a front that fails over to the next backend.
 */
class TestServicesIntegrationTest {
  @Test
  void postgresProcess_restart_keepsDataAndPort_andStopRefusesConnections_andDatabasesAreFresh()
      throws Exception {
    try (PostgresProcess pg = PostgresProcess.launch()) {
      TestDatabase db = TestDatabase.create("127.0.0.1", pg.port(), "services");
      db.query("CREATE TABLE t (x int); INSERT INTO t VALUES (42)");
      int port = pg.port();

      pg.restart();

      assertEquals(port, pg.port());
      assertEquals("42", db.query("SELECT x FROM t").strip());
      pg.stop();
      assertThrows(AssertionError.class, () -> db.query("SELECT 1"), "stopped: refused");
      pg.start();
      assertEquals("1", db.query("SELECT 1").strip());
      TestDatabase other = TestDatabase.create("127.0.0.1", pg.port(), "services");
      assertFalse(other.name().equals(db.name()), "a new random name");
      assertEquals(
          "0",
          other.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").strip(),
          "a fresh database has none of the other's tables");
      db.close();
      assertEquals(
          "0",
          other.query("SELECT count(*) FROM pg_database WHERE datname='" + db.name() + "'").strip(),
          "dropped on close");
    }
  }

  @Test
  void redisProcess_stopThenStartAgain_silentThenAnswersOnSamePort() throws Exception {
    try (RedisProcess redis = RedisProcess.launch()) {
      assertTrue(RedisProcess.answers("127.0.0.1", redis.port()));
      redis.stop();
      assertFalse(RedisProcess.answers("127.0.0.1", redis.port()), "stopped: silent");
      redis.start();
      assertTrue(RedisProcess.answers("127.0.0.1", redis.port()), "started again, same port");
      assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
    }
  }

  @Test
  void tcpProxy_firstBackendDown_forwardsToNext() throws Exception {
    int dead = Commands.freePort();
    try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket s = echo.accept()) {
                  s.getOutputStream().write(s.getInputStream().readNBytes(4));
                } catch (IOException e) {
                  // The test fails on the client side.
                }
              });
      URI live = URI.create("http://127.0.0.1:" + echo.getLocalPort());
      URI down = URI.create("http://127.0.0.1:" + dead);
      try (TcpProxy front = TcpProxy.start(List.of(down, live));
          Socket c = new Socket("127.0.0.1", front.uri().getPort())) {
        OutputStream out = c.getOutputStream();
        out.write(new byte[] {1, 2, 3, 4});
        InputStream in = c.getInputStream();
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3, (byte) 4), boxed(in.readNBytes(4)));
        assertEquals(List.of(live), front.chosen());
      }
    }
  }

  private static List<Byte> boxed(byte[] b) {
    Byte[] out = new Byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i];
    }
    return List.of(out);
  }
}
