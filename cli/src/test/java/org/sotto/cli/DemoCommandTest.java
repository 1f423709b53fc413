package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
  @Test
  void demoInMemory_runs_printsEveryMessageDecryptedWithPreKeyThenSignalTypes() {
    StringWriter out = new StringWriter();
    CommandLine cmd = SottoMain.commandLine();
    cmd.setOut(new PrintWriter(out));
    assertEquals(0, cmd.execute("demo", "--in-memory"));
    String text = out.toString();
    assertTrue(text.contains("PreKeySignalMessage"), text);
    assertTrue(text.contains("Nobody but you can read it, not even the server."), text);
    assertTrue(text.contains("Forward secrecy and post-compromise security. See you!"), text);
    long signalLines = text.lines().filter(l -> l.contains(" SignalMessage ")).count();
    assertEquals(4, signalLines, text);
  }

  @Test
  void demo_withServer_conversationDecryptsAndServerHoldsNoPlaintext(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    StringWriter out = new StringWriter();
    CommandLine cmd = SottoMain.commandLine();
    cmd.setOut(new PrintWriter(out));
    assertEquals(0, cmd.execute("demo", "--data", tmp.resolve("data").toString()));
    String text = out.toString();
    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    l.startsWith("Alice -> Bob")
                        && l.contains(
                            "\"Hi Bob! Nobody but you can read this, not even the server.\"")
                        && l.matches(".*type \\d, \\d+ B [0-9a-f]{24}.*")),
        text);
    assertTrue(text.contains("\"And the server only ever relayed ciphertext. Bye!\""), text);
    assertTrue(text.contains("for the 5 texts and the file: none found."), text);
    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    l.startsWith("Scanned Alice's and Bob's local stores")
                        && l.contains("for the texts: none found")),
        text);
    assertTrue(
        text.lines()
            .anyMatch(
                l ->
                    l.contains("\"Here is the plan.\" + plan.txt")
                        && l.contains("digest checked, same bytes")
                        && l.contains("sender hidden")
                        && l.matches(".*attachment blob \\d+ B \\(encrypted\\).*")),
        text);
    assertTrue(text.lines().anyMatch(l -> l.matches("\\s+envelopes\\s+0")), text);
    assertTrue(text.contains("1 device(s)"), text);
    assertTrue(Files.exists(tmp.resolve("data").resolve("sotto.db")), "--data keeps the data");
  }

  @Test
  void demo_withoutData_usesATemporaryFolderAndDeletesIt() {
    StringWriter out = new StringWriter();
    CommandLine cmd = SottoMain.commandLine();
    cmd.setOut(new PrintWriter(out));
    assertEquals(0, cmd.execute("demo"));
    String text = out.toString();
    Matcher m = Pattern.compile("\\(data in (.+)\\)\\.").matcher(text);
    assertTrue(m.find(), text);
    Path db = Path.of(m.group(1));
    assertTrue(db.isAbsolute(), text);
    assertFalse(Files.exists(db), "the temporary server data is removed: " + db);
    assertFalse(Files.exists(db.getParent().getParent()), "and its folder: " + db);
  }

  @Test
  void noArguments_printsUsageAndExitsZero() {
    StringWriter out = new StringWriter();
    CommandLine cmd = SottoMain.commandLine();
    cmd.setOut(new PrintWriter(out));
    assertEquals(0, cmd.execute());
    assertTrue(out.toString().contains("demo"), out.toString());
  }

  @Test
  void unknownVerb_exitsWithUserError() {
    CommandLine cmd = SottoMain.commandLine();
    cmd.setErr(new PrintWriter(new StringWriter()));
    assertEquals(1, cmd.execute("frobnicate"));
  }
}
