package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) in the middle of group commits: after reopening, a unit is in the
 * store if and only if its commit had completed. The child ({@link GroupCommitCrashChild}) reports
 * each unit as committed (its call returned) or pending (ran, commit held back) before the kill.
 */
class LocalStoreCrashIntegrationTest {
  private static final int COMMITTED = 20;
  private static final int PENDING = 5;

  @TempDir Path temp;

  @Test
  void killedProcess_reopened_holdsExactlyTheUnitsWhoseCommitCompleted() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                GroupCommitCrashChild.class.getName(),
                temp.toString(),
                Integer.toString(COMMITTED),
                Integer.toString(PENDING))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<UUID> committed = new ArrayList<>();
    List<UUID> pending = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        String[] parts = line.split(" ");
        (parts[0].equals("committed") ? committed : pending).add(UUID.fromString(parts[1]));
      }
      assertEquals("ready", line, "the child ended early");
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final commit.
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(COMMITTED, committed.size());
    assertEquals(PENDING, pending.size());
    try (LocalStore store = LocalStore.open(temp, "alice", null, new SecureRandom())) {
      for (UUID g : committed) {
        assertTrue(store.history().get(g).isPresent(), "committed unit lost: " + g);
      }
      for (UUID g : pending) {
        assertTrue(store.history().get(g).isEmpty(), "uncommitted unit survived: " + g);
      }
    }
  }
}
