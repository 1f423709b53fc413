package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store lock against a second process (a child JVM holding the store open). */
class StoreLockIntegrationTest {
  private final SecureRandom rng = new SecureRandom();
  @TempDir Path folder;

  /** Child process: opens the store, says so, and holds it until its stdin closes. */
  public static void main(String[] args) throws Exception {
    try (LocalStore store = LocalStore.open(Path.of(args[0]), args[1], null, new SecureRandom())) {
      System.out.println("open");
      System.out.flush();
      System.in.read();
    }
  }

  @Test
  void open_whileAnotherProcessHoldsIt_throwsStoreLocked() throws Exception {
    LocalStore.create(folder, "a", null, rng).close();
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    StoreLockIntegrationTest.class.getName(),
                    folder.toString(),
                    "a"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("open", out.readLine());
      assertThrows(StoreLockedException.class, () -> LocalStore.open(folder, "a", null, rng));
      child.getOutputStream().close();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child exits when its stdin closes");
      assertEquals(0, child.exitValue());
    } finally {
      child.destroyForcibly();
    }
    LocalStore.open(folder, "a", null, rng).close();
  }
}
