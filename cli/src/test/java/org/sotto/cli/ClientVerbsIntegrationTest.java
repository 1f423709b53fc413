package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

/** The client verbs through {@link SottoMain#commandLine}, against a real in-process server. */
class ClientVerbsIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Short, so that tests are quick; the queue-empty signal usually ends receiving sooner. */
  private static final String RECEIVE_TIMEOUT_SECONDS = "10";

  record Run(int exit, String out, String err) {}

  private TestServer server;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    dir = Files.createTempDirectory("sotto-cli-verbs");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestServer.deleteTree(dir);
  }

  private static Run run(Path config, String... args) {
    return runWith(Map.of(), config, args);
  }

  private static Run runWith(Map<String, String> env, Path config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = SottoMain.commandLine(env);
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
    Run r = ok(config, "register", "--server", server.uri().toString(), "--handle", handle);
    assertTrue(r.out().trim().matches("[0-9a-f-]{36}"), r.out());
    return config;
  }

  private List<JsonNode> receiveJson(Path config) throws Exception {
    Run r = ok(config, "-o", "json", "receive", "--timeout", RECEIVE_TIMEOUT_SECONDS);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  @Test
  void receive_json_printsOneObjectPerMessageInOrder() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    String aliceId = ok(alice, "-o", "json", "send", "-m", "one", "bob").out();
    assertTrue(JSON.readTree(aliceId).get("timestamp").asLong() > 0, aliceId);
    ok(alice, "send", "-m", "two", "bob");
    ok(alice, "-a", "alice", "send", "-m", "three", "bob");

    List<JsonNode> got = receiveJson(bob);

    assertEquals(
        List.of("one", "two", "three"), got.stream().map(n -> n.get("text").asText()).toList());
    JsonNode first = got.get(0);
    List<String> fields = new ArrayList<>();
    first.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of("id", "from", "fromUuid", "device", "timestamp", "text", "attachments"), fields);
    assertEquals(1, first.get("device").asInt());
    assertTrue(first.get("attachments").isArray() && first.get("attachments").isEmpty());
    assertEquals(List.of(), receiveJson(bob), "received messages are not delivered again");
  }

  @Test
  void receive_plain_printsOneLinePerMessage() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    ok(alice, "send", "-m", "hello bob", "bob");

    Run r = ok(bob, "receive", "--timeout", RECEIVE_TIMEOUT_SECONDS);

    List<String> lines = r.out().lines().toList();
    assertEquals(1, lines.size(), r.out());
    assertTrue(lines.get(0).endsWith(": hello bob"), r.out());
  }

  @Test
  void send_unknownRecipient_exitsWithUserError() {
    Path alice = register("a", "alice");

    Run r = run(alice, "send", "-m", "hello?", "nobody_here");

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("unknown recipient"), r.err());
  }

  @Test
  void send_unknownLocalAccount_exitsWithUserError() {
    Path alice = register("a", "alice");

    Run r = run(alice, "-a", "mallory", "send", "-m", "hello", "alice");

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("unknown local account"), r.err());
  }

  @Test
  void send_noLocalAccount_exitsWithUserError() {
    Run r = run(dir.resolve("empty"), "send", "-m", "hello", "alice");

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("no local account"), r.err());
  }

  @Test
  void send_serverDown_exitsWithIoErrorInOneLineNamingTheUrl() throws Exception {
    Path alice = register("a", "alice");
    register("b", "bob");
    String url = server.uri().toString();
    server.close();
    server = null;

    Run r = run(alice, "send", "-m", "anyone there?", "bob");

    assertEquals(3, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(url), r.err());
    assertFalse(r.err().contains("anyone there?"), "no message text in errors");
  }

  @Test
  void serverUrl_otherAddressOfTheServer_isUsedForThisInvocationOnly() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    int port = server.uri().getPort();
    try (ServerSocket dead = new ServerSocket(0)) {
      String nowhere = "http://127.0.0.1:" + dead.getLocalPort();
      dead.close();

      Run down = run(alice, "--server-url", nowhere, "send", "-m", "via nowhere", "bob");
      assertEquals(3, down.exit(), down.err());
      assertTrue(down.err().contains(nowhere), "the error names the overriding URL: " + down.err());
    }
    // The same server under another name: the override reaches it, and the stored URL still works.
    ok(alice, "--server-url", "http://localhost:" + port, "send", "-m", "via localhost", "bob");
    ok(alice, "send", "-m", "via the stored URL", "bob");

    List<JsonNode> got = receiveJson(bob);
    assertEquals(
        List.of("via localhost", "via the stored URL"),
        got.stream().map(n -> n.get("text").asText()).toList());
  }

  @Test
  void serverUrl_notAUrl_exitsWithUserErrorNamingTheOption() {
    Path alice = register("a", "alice");

    Run r = run(alice, "--server-url", "not a url", "send", "-m", "hi", "alice");

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("--server-url"), r.err());
  }

  @Test
  void register_handleTaken_exitsWithUserErrorAndLeavesNoAccount() {
    register("a", "alice");
    Path other = dir.resolve("a2");

    Run r = run(other, "register", "--server", server.uri().toString(), "--handle", "alice");

    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(Files.exists(other.resolve("alice")), "no half-made local account");
  }

  @Test
  void register_existingLocalAccount_exitsWithUserError() {
    Path alice = register("a", "alice");

    Run r = run(alice, "register", "--server", server.uri().toString(), "--handle", "alice");

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("already exists"), r.err());
  }

  @Test
  void send_passphraseFromEnvironment_opensOnlyWithTheRightOne() {
    Path alice = dir.resolve("a");
    Map<String, String> right = Map.of("SOTTO_PASSPHRASE", "correct horse");
    String url = server.uri().toString();
    assertEquals(0, runWith(right, alice, "register", "--server", url, "--handle", "alice").exit());
    register("b", "bob");

    Run wrong =
        runWith(Map.of("SOTTO_PASSPHRASE", "wrong horse"), alice, "send", "-m", "hi", "bob");

    assertEquals(1, wrong.exit(), wrong.err());
    assertTrue(wrong.err().contains("passphrase"), wrong.err());
    assertFalse(wrong.err().contains("wrong horse"), "the passphrase is not echoed");
    assertEquals(0, runWith(right, alice, "send", "-m", "hi", "bob").exit());
  }

  @Test
  void safetyNumber_bothSides_sixtyDigitsAndEqual() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    ok(alice, "send", "-m", "hi", "bob");
    receiveJson(bob);

    String fromAlice = ok(alice, "safetyNumber", "bob").out().trim();
    String fromBob = ok(bob, "safetyNumber", "alice").out().trim();

    assertTrue(fromAlice.matches("[0-9]{60}"), fromAlice);
    assertEquals(fromAlice, fromBob);
  }

  @Test
  void send_afterRecipientReregisters_exitsUntrustedUntilTrustAllKnownKeys() throws Exception {
    Path alice = register("a", "alice");
    Path oldBob = register("b", "bob");
    ok(alice, "send", "-m", "hello old bob", "bob");
    String oldNumber = ok(alice, "safetyNumber", "bob").out().trim();
    unregister(oldBob, "bob");
    Path newBob = register("b2", "bob");

    Run refused = run(alice, "send", "-m", "not yet", "bob");
    assertEquals(4, refused.exit(), refused.err());
    assertEquals(1, refused.err().lines().count(), refused.err());
    assertEquals(4, run(alice, "send", "-m", "still not", "bob").exit());
    assertEquals(List.of(), receiveJson(newBob));

    ok(alice, "trust", "bob", "--all-known-keys");
    ok(alice, "send", "-m", "hello new bob", "bob");

    assertEquals(
        List.of("hello new bob"),
        receiveJson(newBob).stream().map(n -> n.get("text").asText()).toList());
    assertNotEquals(oldNumber, ok(alice, "safetyNumber", "bob").out().trim());
  }

  @Test
  void trust_wrongVerifiedSafetyNumber_exitsWithUserErrorAndTrustsNothing() throws Exception {
    Path alice = register("a", "alice");
    Path oldBob = register("b", "bob");
    ok(alice, "send", "-m", "hello old bob", "bob");
    unregister(oldBob, "bob");
    Path newBob = register("b2", "bob");
    assertEquals(4, run(alice, "send", "-m", "not yet", "bob").exit());
    String number = ok(alice, "safetyNumber", "bob").out().trim();
    String wrong = (number.charAt(0) == '0' ? "1" : "0") + number.substring(1);

    Run r = run(alice, "trust", "bob", "--verified-safety-number", wrong);

    assertEquals(1, r.exit(), r.err());
    assertEquals(4, run(alice, "send", "-m", "still not", "bob").exit(), "nothing was trusted");
    ok(alice, "trust", "bob", "--verified-safety-number", number);
    ok(alice, "send", "-m", "verified", "bob");
    assertEquals(
        List.of("verified"),
        receiveJson(newBob).stream().map(n -> n.get("text").asText()).toList());
  }

  @Test
  void trust_withoutChoosingHow_exitsWithUserError() {
    Path alice = register("a", "alice");

    assertEquals(1, run(alice, "trust", "bob").exit());
  }

  private static void unregister(Path config, String handle) throws Exception {
    try (SottoClient client = SottoClient.open(config.resolve(handle), handle, null)) {
      client.unregister();
    }
  }
}
