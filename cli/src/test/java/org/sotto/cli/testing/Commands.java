package org.sotto.cli.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs helper programs (initdb, pg_ctl, psql) to completion for the test services, and finds free
 * loopback ports. Failures become {@link AssertionError}s that quote the program's output, so a
 * missing binary or a refused command fails the test with its reason. Stateless; thread-safe.
 */
public final class Commands {
  private Commands() {}

  /**
   * Runs {@code command}, merging stdout and stderr, and returns the output; fails the test if it
   * cannot start, exits non-zero or runs longer than {@code timeout}.
   */
  public static String run(Duration timeout, List<String> command) {
    return run(timeout, null, command);
  }

  /** {@link #run(Duration, List)} in the working folder {@code dir} (null: this process's). */
  public static String run(Duration timeout, Path dir, List<String> command) {
    Path out = null;
    try {
      out = Files.createTempFile("sotto-cmd", ".log");
      Process p;
      try {
        p =
            new ProcessBuilder(command)
                .directory(dir == null ? null : dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
      } catch (IOException e) {
        throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(
            String.join(" ", command) + " did not finish within " + timeout + "\n" + read(out));
      }
      String text = read(out);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited with " + p.exitValue() + "\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command.get(0), e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // A leftover temp file is harmless.
        }
      }
    }
  }

  /** A TCP port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free loopback port", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
