package org.sotto.cli.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code sotto} CLI process (the same JVM binary and class path as the test), for end-to-end
 * tests: either run to completion ({@link #run}) or started and watched line by line ({@link
 * #start}). Every run gets its own {@code --config} folder argument first.
 */
public final class CliProcess implements AutoCloseable {
  /**
   * Longest a single finished CLI run may take before the test fails (cold JVM on 2 busy cores).
   */
  public static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  /** What a finished run printed, and its exit code. */
  public record Result(int exit, String out, String err) {
    /** stdout split into lines. */
    public List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
    }
  }

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final StringBuilder err = new StringBuilder();
  private final Thread outReader;
  private final Thread errReader;

  private CliProcess(Process process) {
    this.process = process;
    outReader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                      seen.add(line);
                      lines.add(line);
                    }
                  } catch (IOException e) {
                    // The process ended.
                  }
                });
    errReader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                      synchronized (err) {
                        err.append(line).append('\n');
                      }
                    }
                  } catch (IOException e) {
                    // The process ended.
                  }
                });
  }

  /** The command line that runs {@code sotto --config CONFIG args…} in a new JVM. */
  static List<String> command(Path config, List<String> args) {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                // As the launcher starts short commands: quick compiler only, serial collector.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "org.sotto.cli.SottoMain",
                "--config",
                config.toString()));
    cmd.addAll(args);
    return cmd;
  }

  /** Starts {@code sotto --config CONFIG args…} with {@code env} added to this environment. */
  public static CliProcess start(Path config, Map<String, String> env, String... args) {
    ProcessBuilder pb = new ProcessBuilder(command(config, List.of(args)));
    pb.environment().remove("SOTTO_PASSPHRASE");
    pb.environment().putAll(env);
    try {
      return new CliProcess(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code sotto --config CONFIG args…} to completion. */
  public static Result run(Path config, String... args) throws InterruptedException {
    return run(config, Map.of(), args);
  }

  /** Runs {@code sotto --config CONFIG args…} with {@code env} to completion. */
  public static Result run(Path config, Map<String, String> env, String... args)
      throws InterruptedException {
    try (CliProcess p = start(config, env, args)) {
      p.stdin().close();
      return p.await(RUN_TIMEOUT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process's standard input. */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** The process. */
  public Process process() {
    return process;
  }

  /** The next stdout line, or null if none came within {@code timeout}. */
  public String nextLine(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything printed on stderr so far. */
  public String stderr() {
    synchronized (err) {
      return err.toString();
    }
  }

  /** Waits for the exit; fails the test if it takes longer than {@code timeout}. */
  public Result await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("sotto did not finish within " + timeout + "\n" + stderr());
    }
    // The readers end at the pipes' end of file, once they have taken everything printed.
    outReader.join(Duration.ofSeconds(5));
    errReader.join(Duration.ofSeconds(5));
    String out;
    synchronized (seen) {
      out = String.join("\n", seen);
    }
    return new Result(process.exitValue(), out, stderr());
  }

  /** SIGTERM and wait, then SIGKILL if needed. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
