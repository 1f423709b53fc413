package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Where the interop tests find what they need outside the JVM: the repository root, Node.js and
 * npm, and the libsignal peer's {@code node_modules}. A missing tool fails the test with a message
 * saying what to install; the interop tests never skip. Thread-safe.
 */
final class InteropEnvironment {
  private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(10);

  private InteropEnvironment() {}

  /**
   * The repository root: the nearest directory at or above the working directory that holds {@code
   * interop/}.
   */
  static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("interop/libsignal-peer.mjs"))) {
        return d;
      }
    }
    throw new AssertionError(
        "no interop/libsignal-peer.mjs in " + dir + " or any parent: cannot find the repo root");
  }

  /**
   * Fails (never skips) when a tool the libsignal peer needs is missing; returns its command name.
   */
  static String requireTool(String tool) {
    try {
      Process p =
          new ProcessBuilder(tool, "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return tool;
      }
      p.destroyForcibly();
    } catch (IOException e) {
      // Reported below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new AssertionError(
        "'"
            + tool
            + " --version' failed: the libsignal interop tests need Node.js (node ≥ 18 and npm) on PATH"
            + " to run interop/libsignal-peer.mjs. Install Node.js; these tests never skip.");
  }

  /**
   * Runs {@code npm ci} in {@code interop/} once, when {@code node_modules} lacks one of the pinned
   * libsignal versions.
   */
  static synchronized void ensureNodeModules(Path interop) {
    if (Files.isDirectory(interop.resolve("node_modules/@signalapp/libsignal-client"))
        && Files.isDirectory(interop.resolve("node_modules/libsignal-client-0103"))) {
      return;
    }
    String npm = requireTool("npm");
    Path log;
    try {
      log = Files.createTempFile("sotto-npm-ci", ".log");
      Process p =
          new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund")
              .directory(interop.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(NPM_CI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        fail("npm ci in " + interop + " did not finish within " + NPM_CI_TIMEOUT + "; log: " + log);
      }
      if (p.exitValue() != 0) {
        fail(
            "npm ci in "
                + interop
                + " failed (exit "
                + p.exitValue()
                + "):\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run npm ci in " + interop, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running npm ci");
    }
  }
}
