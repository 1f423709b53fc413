package org.sotto.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Sotto server in its own JVM, started the way an operator starts it ({@code sotto server
 * --data DIR --listen 127.0.0.1:0}) on a fresh data folder, with the JVM's default settings. Its
 * log goes to a file, quoted when it fails. Not thread-safe.
 */
public final class ServerProcess implements AutoCloseable {
  /**
   * Registrations allowed per IP per hour: every bench account registers from loopback, up to about
   * 20,000 of them in seconds, which the default (10) would refuse by design.
   */
  static final int REGISTRATIONS_PER_HOUR = 100_000_000;

  /** Time allowed for the server to print its address (it is ready in under 3 s when idle). */
  static final long START_TIMEOUT_SECONDS = 60;

  /** Time a graceful stop (SIGTERM) gets before the process is killed. */
  static final long STOP_TIMEOUT_SECONDS = 30;

  /** Lines of the server log quoted when it fails. */
  static final int LOG_TAIL_LINES = 30;

  private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

  private final Process process;
  private final URI uri;
  private final Path log;

  private ServerProcess(Process process, URI uri, Path log) {
    this.process = process;
    this.uri = uri;
    this.log = log;
  }

  /**
   * Starts {@code org.sotto.cli.SottoMain server} with {@code java} on {@code classpath}, data in
   * {@code dataDir}, log in {@code log}.
   */
  public static ServerProcess start(Path java, String classpath, Path dataDir, Path log)
      throws Exception {
    return start(java, classpath, dataDir, log, List.of());
  }

  /**
   * {@link #start(Path, String, Path, Path)} with {@code extraArgs} added to the command line (a
   * database, a Redis server).
   */
  public static ServerProcess start(
      Path java, String classpath, Path dataDir, Path log, List<String> extraArgs)
      throws Exception {
    List<String> command = new ArrayList<>();
    Collections.addAll(
        command,
        java.toString(),
        // sqlite-jdbc loads its native library; the launcher allows it the same way.
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        classpath,
        "org.sotto.cli.SottoMain",
        "server",
        "--data",
        dataDir.toString(),
        "--listen",
        "127.0.0.1:0",
        "--registrations-per-hour",
        Integer.toString(REGISTRATIONS_PER_HOUR));
    command.addAll(extraArgs);
    Process p =
        new ProcessBuilder(command)
            .redirectError(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    CompletableFuture<URI> listening = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("server-stdout")
        .start(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    listening.complete(URI.create(m.group(1)));
                  }
                }
              } catch (IOException e) {
                // The process ended; handled below.
              }
              listening.completeExceptionally(new IOException("the server exited"));
            });
    try {
      URI uri = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new ServerProcess(p, uri, log);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      p.destroyForcibly();
      throw new IOException("the Sotto server did not start:\n" + tail(log), e);
    }
  }

  /** The server's base URI. */
  public URI uri() {
    return uri;
  }

  /** The server's process id (for {@code jcmd}). */
  public long pid() {
    return process.pid();
  }

  /** Fails, quoting the log, if the server has exited. */
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the Sotto server exited with status " + process.exitValue() + ":\n" + tail(log));
    }
  }

  /** The last lines of the server log. */
  public String logTail() {
    return tail(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      Progress.log("bench: the server did not stop on SIGTERM in time; killing it");
      process.destroyForcibly().waitFor();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")";
    }
  }
}
