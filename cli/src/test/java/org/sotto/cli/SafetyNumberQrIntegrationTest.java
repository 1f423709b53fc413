package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

/** {@code safetyNumber RECIPIENT --qr} through {@link SottoMain#commandLine}, in-process server. */
class SafetyNumberQrIntegrationTest {
  private TestServer server;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    dir = Files.createTempDirectory("sotto-cli-qr");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    TestServer.deleteTree(dir);
  }

  private static List<String> ok(Path config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = SottoMain.commandLine(Map.of());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    int exit = cmd.execute(all.toArray(String[]::new));
    assertEquals(0, exit, () -> String.join(" ", args) + ": " + err);
    return out.toString().lines().toList();
  }

  @Test
  void safetyNumber_qr_printsTheNumberThenTheQrCodeOfItsDigits() {
    Path alice = dir.resolve("a");
    Path bob = dir.resolve("b");
    ok(alice, "register", "--server", server.uri().toString(), "--handle", "alice");
    ok(bob, "register", "--server", server.uri().toString(), "--handle", "bob");

    List<String> plain = ok(alice, "safetyNumber", "bob");
    List<String> withQr = ok(alice, "safetyNumber", "--qr", "bob");
    List<String> json = ok(alice, "-o", "json", "safetyNumber", "--qr", "bob");

    assertEquals(1, plain.size(), plain::toString);
    assertEquals(plain.get(0), withQr.get(0));
    String digits = plain.get(0).replaceAll("\\s", "");
    assertTrue(digits.matches("[0-9]{60}"), digits);
    assertEquals(
        Qr.render(digits).lines().toList(), withQr.subList(1, withQr.size()), "QR of the digits");
    assertEquals(1, json.size(), "no QR code in JSON output: " + json);
  }
}
