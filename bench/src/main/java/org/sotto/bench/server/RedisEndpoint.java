package org.sotto.bench.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * The Redis server of the baseline: one already running at the given address, or else a private
 * {@code redis-server} on a free loopback port with persistence off, started here and stopped on
 * {@link #close()}. Not thread-safe.
 */
final class RedisEndpoint implements AutoCloseable {
  /** Time allowed for a started {@code redis-server} to answer PING. */
  static final long START_TIMEOUT_SECONDS = 10;

  /** How often a starting redis-server is asked for PING. */
  static final long POLL_MILLIS = 50;

  private final String host;
  private final int port;
  private final Process started;

  private RedisEndpoint(String host, int port, Process started) {
    this.host = host;
    this.port = port;
    this.started = started;
  }

  /**
   * Redis at {@code host:port} if it answers PING; otherwise a new {@code redis-server} (which must
   * be on the PATH) on a free port.
   */
  static RedisEndpoint findOrStart(String host, int port) throws Exception {
    if (answers(host, port)) {
      Progress.log("bench: using the Redis server at %s:%d", host, port);
      return new RedisEndpoint(host, port, null);
    }
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    Process p;
    try {
      p =
          new ProcessBuilder(
                  List.of(
                      "redis-server",
                      "--port",
                      Integer.toString(free),
                      "--bind",
                      "127.0.0.1",
                      "--save",
                      "",
                      "--appendonly",
                      "no"))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      throw new IOException(
          "no Redis answers at "
              + host
              + ":"
              + port
              + " and redis-server could not be started (install Redis, e.g. the redis-server"
              + " package, or give --redis HOST:PORT)",
          e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (!answers("127.0.0.1", free)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("the redis-server started on port " + free + " did not answer");
      }
      Thread.sleep(POLL_MILLIS);
    }
    Progress.log("bench: started a private redis-server on 127.0.0.1:%d", free);
    return new RedisEndpoint("127.0.0.1", free, p);
  }

  /** Whether a Redis server answers PING at {@code host:port}. */
  static boolean answers(String host, int port) {
    try (Jedis j = new Jedis(host, port)) {
      return "PONG".equals(j.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The host. */
  String host() {
    return host;
  }

  /** The port. */
  int port() {
    return port;
  }

  /** The version the server reports. */
  String version() {
    try (Jedis j = new Jedis(host, port)) {
      for (String line : j.info("server").split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length()).strip();
        }
      }
    } catch (RuntimeException e) {
      // fall through
    }
    return "unknown";
  }

  /** Stops the redis-server started here, if any. */
  @Override
  public void close() throws InterruptedException {
    if (started != null) {
      started.destroy();
      if (!started.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        started.destroyForcibly().waitFor();
      }
    }
  }
}
