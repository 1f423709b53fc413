package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code ./sotto} and {@code ./mvnw} launchers on a machine without a suitable JDK. */
class LauncherScriptTest {
  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(".mvn/jdk.sh"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("repository root (with .mvn/jdk.sh) not found");
    }
    return dir;
  }

  private static Result run(String script) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("sh", repoRoot().resolve(script).toString(), "demo");
    // No JDK can be this new: the launcher must say what to install and stop.
    pb.environment().put("SOTTO_MIN_JDK", "999");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
    return new Result(p.exitValue(), out, err);
  }

  private record Result(int exit, String out, String err) {}

  @Test
  void sotto_noSuitableJdk_saysWhatToInstallAndExitsOne() throws Exception {
    Result r = run("sotto");
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("no JDK 999 or newer found"), r.err());
    assertTrue(r.err().contains("install"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void mvnw_noSuitableJdk_saysWhatToInstallAndExitsOne() throws Exception {
    Result r = run("mvnw");
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("no JDK 999 or newer found"), r.err());
  }
}
