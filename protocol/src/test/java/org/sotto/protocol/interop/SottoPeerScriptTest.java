package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code interop/sotto-peer} script: starts the peer from the last build, from any working
 * directory.
 */
final class SottoPeerScriptTest {
  private static final Path SCRIPT = InteropEnvironment.repoRoot().resolve("interop/sotto-peer");

  @Test
  void script_fromAnotherDirectory_servesRequests(@TempDir Path elsewhere) {
    PeerProcess peer = PeerProcess.command("sotto-peer", elsewhere, SCRIPT.toString());
    try {
      assertEquals("sotto", peer.ok("version").path("implementation").asText());
      JsonNode kp = peer.ok("keypair");
      assertEquals(44, kp.path("publicKey").asText().length(), "33 bytes in base64");
    } finally {
      peer.close();
    }
    assertEquals(0, peer.exitCode(), "exit code after quit");
  }

  @Test
  void script_withoutBuildOutput_printsHintAndExits1(@TempDir Path fakeRepo)
      throws IOException, InterruptedException {
    Path root = InteropEnvironment.repoRoot();
    Files.createDirectories(fakeRepo.resolve("interop"));
    Files.createDirectories(fakeRepo.resolve(".mvn"));
    Files.copy(root.resolve(".mvn/jdk.sh"), fakeRepo.resolve(".mvn/jdk.sh"));
    Path script = Files.copy(SCRIPT, fakeRepo.resolve("interop/sotto-peer"));
    Path stderr = fakeRepo.resolve("stderr.txt");
    Process p =
        new ProcessBuilder("sh", script.toString())
            .directory(fakeRepo.toFile())
            .redirectError(stderr.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script did not exit");
    assertEquals(1, p.exitValue());
    assertTrue(
        Files.readString(stderr, StandardCharsets.UTF_8)
            .contains("run ./mvnw verify (or ./mvnw -pl protocol test-compile) first"),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
