package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.testing.CliProcess;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.server.testing.TestServer;

/**
 * End to end with real processes: Alice's CLI sends a 20 MiB random file to Bob through a real
 * server process, Bob's CLI receives it with {@code -o json}, and the saved file's SHA-256 equals
 * the original's.
 */
class AttachmentEndToEndIntegrationTest {
  private static final int TWENTY_MIB = 20 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerProcess server;
  private Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null) {
      server.close();
    }
    if (dir != null) {
      TestServer.deleteTree(dir);
    }
  }

  private static CliProcess.Result ok(Path config, String... args) throws Exception {
    CliProcess.Result r = CliProcess.run(config, args);
    assertEquals(0, r.exit(), () -> String.join(" ", args) + ": " + r);
    return r;
  }

  private static byte[] sha256(Path p) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  @Test
  void sendAttachment_twentyMibThroughServerProcess_bobSavesIdenticalFile() throws Exception {
    dir = Files.createTempDirectory("sotto-attachment-e2e");
    server = ServerProcess.start(dir.resolve("server"), dir.resolve("server.log"));
    Path alice = dir.resolve("alice");
    Path bob = dir.resolve("bob");
    ok(alice, "register", "--server", server.uri().toString(), "--handle", "alice");
    ok(bob, "register", "--server", server.uri().toString(), "--handle", "bob");
    Path file = dir.resolve("random.bin");
    SecureRandom rng = new SecureRandom();
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] chunk = new byte[1024 * 1024];
      for (int i = 0; i < TWENTY_MIB / chunk.length; i++) {
        rng.nextBytes(chunk);
        out.write(chunk);
      }
    }

    ok(alice, "send", "-m", "the file", "--attachment", file.toString(), "bob");
    CliProcess.Result r = ok(bob, "-o", "json", "receive", "--timeout", "60");

    assertEquals(1, r.lines().size(), r.toString());
    JsonNode m = JSON.readTree(r.lines().get(0));
    assertEquals("the file", m.get("text").asText());
    assertEquals(1, m.get("attachments").size());
    JsonNode a = m.get("attachments").get(0);
    assertEquals("random.bin", a.get("fileName").asText());
    assertEquals(TWENTY_MIB, a.get("size").asLong());
    assertArrayEquals(sha256(file), sha256(Path.of(a.get("path").asText())));
  }
}
