package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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
        text.contains("Bob reads: \"Hi Bob! Nobody but you can read this, not even the server.\""),
        text);
    assertTrue(text.contains("\"And the server only ever relayed ciphertext. Bye!\""), text);
    assertTrue(text.contains("for the 4 plaintexts: none found."), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("\\s+envelopes\\s+0")), text);
    assertTrue(text.contains("1 device(s)"), text);
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
