package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

/** {@code send --attachment} and attachments in {@code receive}, in-process against a server. */
class AttachmentVerbsIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RECEIVE_TIMEOUT_SECONDS = "10";

  record Run(int exit, String out, String err) {}

  private TestServer server;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    dir = Files.createTempDirectory("sotto-cli-attachments");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestServer.deleteTree(dir);
  }

  private static Run run(Path config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = SottoMain.commandLine(Map.of());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    int exit = cmd.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run ok(Path config, String... args) {
    Run r = run(config, args);
    assertEquals(0, r.exit(), () -> String.join(" ", args) + ": " + r.err());
    return r;
  }

  private Path register(String folder, String handle) {
    Path config = dir.resolve(folder);
    ok(config, "register", "--server", server.uri().toString(), "--handle", handle);
    return config;
  }

  private Path randomFile(String name, int size) throws Exception {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return Files.write(dir.resolve(name), b);
  }

  @Test
  void send_withAttachments_receiveJsonListsSavedFiles() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    Path one = randomFile("one.bin", 3000);
    Path two = randomFile("two.txt", 10);
    Run sent =
        ok(
            alice,
            "send",
            "-m",
            "",
            "--attachment",
            one.toString(),
            "--attachment",
            two.toString(),
            "bob");
    assertTrue(sent.out().trim().matches("\\d+"), sent.out());
    assertEquals("", sent.err(), "no progress bar when stderr is not a terminal");

    Run r = ok(bob, "-o", "json", "receive", "--timeout", RECEIVE_TIMEOUT_SECONDS);
    List<String> lines = r.out().lines().toList();
    assertEquals(1, lines.size(), r.out());
    JsonNode m = JSON.readTree(lines.get(0));
    assertEquals("", m.get("text").asText());
    JsonNode atts = m.get("attachments");
    assertEquals(2, atts.size());
    List<String> fields = new ArrayList<>();
    atts.get(0).fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("fileName", "size", "path"), fields);
    assertEquals("one.bin", atts.get(0).get("fileName").asText());
    assertEquals(3000, atts.get(0).get("size").asLong());
    assertArrayEquals(
        Files.readAllBytes(one), Files.readAllBytes(Path.of(atts.get(0).get("path").asText())));
    assertArrayEquals(
        Files.readAllBytes(two), Files.readAllBytes(Path.of(atts.get(1).get("path").asText())));
  }

  @Test
  void receive_plain_listsSavedPathUnderTheMessageLine() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    Path f = randomFile("pic.jpg", 500);
    ok(alice, "send", "-m", "a picture", "--attachment", f.toString(), "bob");

    Run r = ok(bob, "receive", "--timeout", RECEIVE_TIMEOUT_SECONDS);

    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(lines.get(0).endsWith(": a picture"), r.out());
    assertTrue(lines.get(1).startsWith("  attachment: "), r.out());
    Path saved = Path.of(lines.get(1).substring("  attachment: ".length()));
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(saved));
    assertTrue(saved.getFileName().toString().endsWith("pic.jpg"));
  }

  @Test
  void send_missingAttachment_exitsWithUserErrorAndSendsNothing() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    Path missing = dir.resolve("missing.pdf");

    Run r = run(alice, "send", "-m", "hi", "--attachment", missing.toString(), "bob");

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("missing.pdf"), r.err());
    assertEquals("", ok(bob, "receive", "--timeout", RECEIVE_TIMEOUT_SECONDS).out());
  }

  @Test
  void send_emptyTextWithoutAttachment_exitsWithUserError() {
    Path alice = register("a", "alice");
    register("b", "bob");

    Run r = run(alice, "send", "-m", "", "bob");

    assertEquals(1, r.exit(), r.err());
    assertFalse(r.err().isEmpty());
  }

  @Test
  void progressBar_drawsOnlyWhenEnabled() {
    StringWriter on = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(on), true);
    bar.onProgress(Path.of("f.bin"), 50, 100);
    bar.onProgress(Path.of("f.bin"), 100, 100);
    bar.finish();
    assertTrue(on.toString().contains(" 50%") && on.toString().contains("100%"), on.toString());
    assertTrue(on.toString().endsWith(System.lineSeparator()));

    StringWriter off = new StringWriter();
    ProgressBar silent = new ProgressBar(new PrintWriter(off), false);
    silent.onProgress(Path.of("f.bin"), 50, 100);
    silent.finish();
    assertEquals("", off.toString());
  }
}
