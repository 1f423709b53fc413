package org.sotto.server.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;

/**
 * Redis for the cluster tests: the shared local service on 127.0.0.1:6379, or a private {@code
 * redis-server} on a free port that a test may kill and restart (never the shared one). A missing
 * Redis fails the test; nothing is skipped.
 */
final class Redises {
  /** The local Redis service. */
  static final URI SHARED = URI.create("redis://127.0.0.1:6379");

  /** How long the tests wait for something that should happen within a few poll intervals. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private Redises() {}

  /** The shared Redis, after checking that it answers. */
  static URI shared() {
    try (Jedis j = new Jedis(SHARED.getHost(), SHARED.getPort())) {
      j.ping();
    } catch (RuntimeException e) {
      fail("these tests need Redis on 127.0.0.1:6379: " + e);
    }
    return SHARED;
  }

  /** Waits until {@code condition} holds, or fails naming {@code what}. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** A private redis-server this test owns; {@link #kill()} and {@link #start()} at will. */
  static final class Own implements AutoCloseable {
    final int port;
    private Process process;

    private Own(int port) {
      this.port = port;
    }

    /** Starts a private redis-server on a free port, without persistence. */
    static Own start() throws IOException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Own own = new Own(port);
      own.startProcess();
      return own;
    }

    URI uri() {
      return URI.create("redis://127.0.0.1:" + port);
    }

    /** (Re)starts the server on the same port and waits until it answers. */
    void startProcess() throws IOException {
      process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      await(
          "the private redis-server answers",
          () -> {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
              return "PONG".equals(j.ping());
            } catch (RuntimeException e) {
              return false;
            }
          });
    }

    /** Kills the server as a crash would (SIGKILL) and waits for it to be gone. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        fail("redis-server did not die");
      }
    }

    /**
     * Freezes the server (SIGSTOP): connections stay open but nothing is answered, a hung Redis.
     */
    void pause() throws IOException, InterruptedException {
      signal("-STOP");
    }

    /** Thaws a paused server (SIGCONT). */
    void resume() throws IOException, InterruptedException {
      signal("-CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", sig, Long.toString(process.pid())).start();
      if (kill.waitFor() != 0) {
        fail("kill " + sig + " failed");
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process != null && process.isAlive()) {
        kill();
      }
    }
  }
}
