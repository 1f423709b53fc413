package org.sotto.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.testing.CliProcess;
import org.sotto.client.HistoryEntry;
import org.sotto.client.SottoClient;

/**
 * What a user sees when something is wrong, with a real server process and real CLI processes: a
 * wrong passphrase, a damaged local store and an unreachable server each give one clear line on
 * standard error and the documented exit code (1 user error, 3 server or I/O error), and never
 * change, reset or replace the local store, nor leave a message marked as sent that was not.
 */
class FailureModesEndToEndIntegrationTest {
  private static final String RIGHT = "correct horse battery staple";
  private static final String WRONG = "correct horse battery stapler";

  /** Bytes overwritten in the middle of the database file. */
  static final int DAMAGED_BYTES = 64;

  private Parties parties;

  @AfterEach
  void stop() throws Exception {
    if (parties != null) {
      parties.close();
    }
  }

  private static Map<String, String> passphrase(String p) {
    return Map.of("SOTTO_PASSPHRASE", p);
  }

  /** Asserts one line on stderr that contains {@code expected} and no secret or message text. */
  private static void assertOneLine(CliProcess.Result r, String expected, String... secrets) {
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.toString());
    assertTrue(lines.get(0).startsWith("sotto: "), r.toString());
    assertTrue(lines.get(0).contains(expected), r.toString());
    for (String s : secrets) {
      assertFalse(r.err().contains(s), "stderr leaks a secret or a message text: " + r);
    }
    assertEquals("", r.out(), "nothing on stdout");
  }

  @Test
  void wrongPassphrase_exitsOneInOneLineAndChangesNoFile() throws Exception {
    parties = Parties.start("passphrase");
    String aliceId = parties.register("alice", passphrase(RIGHT));
    parties.register("bob");
    assertEquals(0, parties.run("alice", passphrase(RIGHT), "send", "-m", "first", "bob").exit());
    Path alice = parties.config("alice");
    Map<String, String> before = Parties.hashes(alice);

    CliProcess.Result wrong =
        parties.run("alice", passphrase(WRONG), "send", "-m", "secret text", "bob");
    CliProcess.Result none = parties.run("alice", "send", "-m", "secret text", "bob");
    CliProcess.Result wrongReceive = parties.run("alice", passphrase(WRONG), "receive");

    for (CliProcess.Result r : List.of(wrong, none, wrongReceive)) {
      assertEquals(1, r.exit(), r.toString());
      assertOneLine(r, "passphrase", RIGHT, WRONG, "secret text");
    }
    assertEquals(before, Parties.hashes(alice), "no file changed, none created or removed");
    assertEquals(0, parties.run("alice", passphrase(RIGHT), "send", "-m", "second", "bob").exit());
    Parties.assertConversation(
        parties.receiveAll("bob", 2), List.of("first", "second"), "alice", aliceId);
  }

  @Test
  void damagedDatabase_exitsThreeInOneLineAndLeavesTheFileAsItWas() throws Exception {
    parties = Parties.start("damaged-db");
    parties.register("alice");
    parties.register("bob");
    parties.send("alice", "first", "bob");
    Path alice = parties.config("alice");
    overwriteMiddle(alice.resolve("alice").resolve("alice.db"));
    Map<String, String> before = Parties.hashes(alice);

    CliProcess.Result send = parties.run("alice", "send", "-m", "secret text", "bob");
    CliProcess.Result receive = parties.run("alice", "receive");

    for (CliProcess.Result r : List.of(send, receive)) {
      assertEquals(3, r.exit(), r.toString());
      assertOneLine(r, "damaged", "secret text");
    }
    assertEquals(before, Parties.hashes(alice), "the store was not replaced, reset or extended");
  }

  @Test
  void truncatedKeyFile_exitsThreeInOneLineAndLeavesTheFilesAsTheyWere() throws Exception {
    parties = Parties.start("damaged-key");
    parties.register("alice");
    parties.register("bob");
    Path alice = parties.config("alice");
    Path key = alice.resolve("alice").resolve("alice.key");
    byte[] bytes = Files.readAllBytes(key);
    Files.write(key, Arrays.copyOf(bytes, bytes.length / 2));
    Map<String, String> before = Parties.hashes(alice);

    CliProcess.Result send = parties.run("alice", "send", "-m", "secret text", "bob");
    CliProcess.Result receive = parties.run("alice", "receive");

    for (CliProcess.Result r : List.of(send, receive)) {
      assertEquals(3, r.exit(), r.toString());
      assertOneLine(r, "key file", "secret text");
    }
    assertEquals(before, Parties.hashes(alice), "the store was not replaced, reset or extended");
    assertEquals(List.of(), parties.receiveAll("bob", 0), "nothing was sent");
  }

  @Test
  void serverDown_sendAndReceiveExitThreeNamingTheUrl_andNothingIsMarkedSent() throws Exception {
    parties = Parties.start("server-down");
    String aliceId = parties.register("alice");
    parties.register("bob");
    parties.send("alice", "one", "bob");
    String url = parties.url();
    parties.server().terminate();

    CliProcess.Result send = parties.run("alice", "send", "-m", "lost in transit", "bob");
    CliProcess.Result receive = parties.run("bob", "receive", "--timeout", "5");

    for (CliProcess.Result r : List.of(send, receive)) {
      assertEquals(3, r.exit(), r.toString());
      assertOneLine(r, url.replaceAll("/$", ""), "lost in transit");
    }
    parties.restartServer();
    assertEquals(url, parties.url());
    parties.send("alice", "two", "bob");
    Parties.assertConversation(
        parties.receiveAll("bob", 2), List.of("one", "two"), "alice", aliceId);
    Path store = parties.config("alice").resolve("alice");
    try (SottoClient client = SottoClient.open(store, "alice", null)) {
      assertEquals(
          List.of("one", "two"),
          client.history("bob", 10).stream().map(HistoryEntry::text).toList(),
          "the failed send is not in the history");
    }
  }

  /** Overwrites {@link #DAMAGED_BYTES} bytes at the start of the middle page of a SQLite file. */
  private static void overwriteMiddle(Path db) throws Exception {
    assertTrue(Files.isRegularFile(db), db + " exists");
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      f.seek(16);
      int pageSize = f.readUnsignedShort();
      if (pageSize == 1) {
        pageSize = 65536;
      }
      long pages = f.length() / pageSize;
      assertTrue(pages >= 3, "a database of " + pages + " pages");
      f.seek((pages / 2) * pageSize);
      byte[] junk = new byte[DAMAGED_BYTES];
      Arrays.fill(junk, (byte) 0x5A);
      f.write(junk);
    }
  }
}
