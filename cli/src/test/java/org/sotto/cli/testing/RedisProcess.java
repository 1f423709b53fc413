package org.sotto.cli.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} for tests that stop it: loopback, a free port kept across {@link
 * #stop()} and {@link #start()}, no persistence ({@code --save "" --appendonly no}), so a restart
 * starts empty, as a cache node that lost its memory would. Fails the test clearly when
 * redis-server is not installed. Not thread-safe.
 */
public final class RedisProcess implements AutoCloseable {
  /** The machine's shared Redis (CI and developers run one there). */
  public static final String LOCAL_HOST = "127.0.0.1";

  /** The shared Redis's port. */
  public static final int LOCAL_PORT = 6379;

  /** Time allowed for a started redis-server to answer PING. */
  static final long START_TIMEOUT_MILLIS = 10_000;

  /** How often a starting server is asked for PING. */
  static final long POLL_MILLIS = 50;

  /** Time allowed for a stopped redis-server to exit after SIGTERM. */
  static final long STOP_TIMEOUT_SECONDS = 10;

  /** Connect and read timeout of one PING. */
  static final int PING_TIMEOUT_MILLIS = 1_000;

  private final int port;
  private Process process;

  private RedisProcess(int port) {
    this.port = port;
  }

  /** Starts a private redis-server on a free port. */
  public static RedisProcess launch() throws InterruptedException {
    RedisProcess r = new RedisProcess(Commands.freePort());
    r.start();
    return r;
  }

  /** Starts the stopped server again on the same port; returns once it answers PING. */
  public void start() throws InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("redis-server is running");
    }
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      "redis-server",
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      "127.0.0.1",
                      "--save",
                      "",
                      "--appendonly",
                      "no"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot start redis-server (install the redis-server package): " + e.getMessage(), e);
    }
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (!answers(LOCAL_HOST, port)) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("the redis-server started on port " + port + " did not answer");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL); its port stays this instance's. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The URL a server is given with {@code --redis}. */
  public String url() {
    return "redis://" + LOCAL_HOST + ":" + port;
  }

  /** Whether a Redis server answers PING at {@code host:port} (RESP, no client library). */
  public static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), PING_TIMEOUT_MILLIS);
      s.setSoTimeout(PING_TIMEOUT_MILLIS);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readNBytes(7);
      return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  /** Fails the test with a clear message unless the shared Redis answers; returns its URL. */
  public static String requireLocal() {
    if (!answers(LOCAL_HOST, LOCAL_PORT)) {
      throw new AssertionError(
          "no Redis answers at "
              + LOCAL_HOST
              + ":"
              + LOCAL_PORT
              + "; these tests need one (start redis-server)");
    }
    return "redis://" + LOCAL_HOST + ":" + LOCAL_PORT;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
