package org.sotto.cli.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code sotto server} process for tests (kill -9, SIGTERM, log scanning): same JDK and
 * classpath as the test JVM, loopback, a free port (or a given one, see {@link #restart}),
 * registration limits lifted. Its stdout and stderr are appended to a log file.
 */
public final class ServerProcess implements AutoCloseable {
  /** How long a server may take to print its "listening on" line. */
  static final long START_TIMEOUT_SECONDS = 60;

  private final Process process;
  private final URI uri;
  private final List<String> stdout;
  private final Path dataDir;
  private final Path log;
  private final List<String> extraArgs;

  private ServerProcess(
      Process process,
      URI uri,
      List<String> stdout,
      Path dataDir,
      Path log,
      List<String> extraArgs) {
    this.process = process;
    this.uri = uri;
    this.stdout = stdout;
    this.dataDir = dataDir;
    this.log = log;
    this.extraArgs = extraArgs;
  }

  /** Starts a server on {@code dataDir}, logging to {@code log}, plus {@code extraArgs}. */
  public static ServerProcess start(Path dataDir, Path log, String... extraArgs) throws Exception {
    return start(dataDir, log, 0, extraArgs);
  }

  /**
   * Starts a server on {@code dataDir} listening on 127.0.0.1:{@code port} (0: a free port),
   * logging to {@code log}, plus {@code extraArgs}.
   */
  public static ServerProcess start(Path dataDir, Path log, int port, String... extraArgs)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "org.sotto.cli.SottoMain",
                "server",
                "--data",
                dataDir.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--registrations-per-hour",
                "1000000"));
    cmd.addAll(List.of(extraArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    BlockingQueue<String> uri = new LinkedBlockingQueue<>();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                  if (line.startsWith("listening on ")) {
                    uri.add(line.substring("listening on ".length()).strip());
                  }
                }
              } catch (IOException e) {
                // The process died; the wait below times out.
              }
            });
    String u = uri.poll(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (u == null) {
      p.destroyForcibly();
      throw new AssertionError("server did not start; see " + log.getFileName());
    }
    return new ServerProcess(p, URI.create(u), lines, dataDir, log, List.of(extraArgs));
  }

  /**
   * Stops this server with SIGTERM (if it still runs) and starts a new one on the same data folder,
   * port and arguments, so that clients that remember its URL reach the new one.
   */
  public ServerProcess restart() throws Exception {
    if (process.isAlive()) {
      terminate();
    }
    return start(dataDir, log, uri.getPort(), extraArgs.toArray(String[]::new));
  }

  /** The server's base URI. */
  public URI uri() {
    return uri;
  }

  /** The process. */
  public Process process() {
    return process;
  }

  /** Everything the server printed on stdout so far. */
  public List<String> stdout() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  /** SIGTERM, then waits for the exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("server did not stop within 30 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGKILL. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
