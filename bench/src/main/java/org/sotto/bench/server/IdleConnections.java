package org.sotto.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * The {@code idle_connections} figure: registers N accounts, reads the server's heap after a full
 * GC, opens one idle authenticated delivery WebSocket per account from helper processes ({@link
 * IdleHolder}), reads the heap again, and reports N and the difference per connection. The accounts
 * exist before the first reading, so the figure is what a connection costs, not an account. Not
 * thread-safe.
 */
final class IdleConnections {
  /**
   * Sockets per holder process, at most. The bench machine allows 20,000 open files per process (a
   * hard limit), and a JVM also holds its jars, selectors and pipes open; 9,000 leaves a wide
   * margin and splits 19,500 connections over 3 processes.
   */
  static final int MAX_SOCKETS_PER_HOLDER = 9_000;

  /** Time allowed for a holder to report all its sockets ready. */
  static final long HOLDER_READY_TIMEOUT_SECONDS = 300;

  /** Pause after the last connection before measuring, so connection set-up work has finished. */
  static final long SETTLE_MILLIS = 2_000;

  /** Time a holder gets to close its sockets and exit before it is killed. */
  static final long HOLDER_EXIT_SECONDS = 30;

  /**
   * The result.
   *
   * @param connections connections still open after the second heap reading
   * @param heapBytesPerConnection heap growth per connection, in bytes
   * @param connectedGauge the server's own count of connected devices, or -1 if it has none
   */
  record Result(int connections, double heapBytesPerConnection, long connectedGauge) {}

  private final ServerProcess server;
  private final Path java;
  private final HeapProbe heap;

  /** The figure for {@code server}; helper processes run on {@code java}. */
  IdleConnections(ServerProcess server, Path java) {
    this.server = server;
    this.java = java;
    this.heap = new HeapProbe(java);
  }

  /** Runs the figure with {@code n} connections. */
  Result run(BenchAccounts accounts, int n) throws Exception {
    HttpClient http = new HttpClient();
    http.start();
    List<BenchAccount> idle;
    try {
      idle = accounts.register(http, server.uri(), n, "idle-connection accounts");
    } finally {
      http.stop();
    }
    long before = heap.usedAfterFullGc(server.pid());
    Progress.log(
        "  server heap after full GC with 0 idle connections: %.1f MiB", before / 1048576.0);

    int holders = (n + MAX_SOCKETS_PER_HOLDER - 1) / MAX_SOCKETS_PER_HOLDER;
    List<Holder> started = new ArrayList<>();
    try {
      long t0 = System.nanoTime();
      for (int h = 0; h < holders; h++) {
        int from = (int) ((long) n * h / holders);
        int to = (int) ((long) n * (h + 1) / holders);
        started.add(Holder.start(java, server, idle.subList(from, to)));
      }
      for (Holder h : started) {
        h.awaitReady();
      }
      Progress.log(
          "  %d idle WebSockets ready in %.1f s (%d holder processes)",
          n, (System.nanoTime() - t0) / 1e9, holders);
      Thread.sleep(SETTLE_MILLIS);
      server.checkAlive();
      long after = heap.usedAfterFullGc(server.pid());
      Progress.log(
          "  server heap after full GC with %d idle connections: %.1f MiB", n, after / 1048576.0);
      int open = 0;
      for (Holder h : started) {
        open += h.count();
      }
      if (open < n) {
        Progress.log(
            "  warning: only %d of %d connections were still open after measuring", open, n);
      }
      long gauge = connectedGauge();
      return new Result(open, (after - before) / (double) Math.max(1, open), gauge);
    } finally {
      for (Holder h : started) {
        h.close();
      }
    }
  }

  /** The server's {@code sotto_devices_connected} gauge, or -1 if it has none. */
  private long connectedGauge() throws Exception {
    HttpClient http = new HttpClient();
    http.start();
    try {
      ContentResponse r = http.GET(server.uri().resolve("/metrics"));
      for (String line : r.getContentAsString().split("\n")) {
        if (line.startsWith("sotto_devices_connected ")) {
          return Math.round(Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip()));
        }
      }
      return -1;
    } finally {
      http.stop();
    }
  }

  /** One {@link IdleHolder} process. */
  private static final class Holder implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;
    private final int size;

    private Holder(Process process, int size) {
      this.process = process;
      this.in =
          new PrintWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), false);
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.size = size;
    }

    static Holder start(Path java, ServerProcess server, List<BenchAccount> accounts)
        throws IOException {
      Process p =
          new ProcessBuilder(
                  java.toString(),
                  // A bystander: one GC thread instead of G1's, so it takes less CPU from the
                  // server.
                  "-XX:+UseSerialGC",
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  "-cp",
                  System.getProperty("java.class.path"),
                  IdleHolder.class.getName(),
                  server.uri().toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      Holder h = new Holder(p, accounts.size());
      for (BenchAccount a : accounts) {
        h.in.println(a.line());
      }
      h.in.println("go");
      h.in.flush();
      return h;
    }

    void awaitReady() throws Exception {
      String line =
          CompletableFuture.supplyAsync(this::readLine)
              .get(HOLDER_READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (line == null || !line.equals("ready " + size)) {
        throw new IOException("an idle-connection holder failed: " + line);
      }
    }

    int count() throws IOException {
      in.println("count");
      in.flush();
      String line = out.readLine();
      if (line == null || !line.startsWith("open ")) {
        throw new IOException("an idle-connection holder failed: " + line);
      }
      String[] f = line.split(" ", 3);
      if (f.length > 2) {
        Progress.log("  a holder's socket was closed: %s", f[2]);
      }
      return Integer.parseInt(f[1]);
    }

    private String readLine() {
      try {
        return out.readLine();
      } catch (IOException e) {
        return "failed " + e;
      }
    }

    @Override
    public void close() throws InterruptedException {
      in.println("close");
      in.flush();
      in.close();
      if (!process.waitFor(HOLDER_EXIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
