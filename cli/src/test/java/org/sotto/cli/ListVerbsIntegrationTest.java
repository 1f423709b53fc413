package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

/** {@code listContacts} and {@code listIdentities}, plain and JSON, against a real server. */
class ListVerbsIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exit, String out, String err) {}

  private TestServer server;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    dir = Files.createTempDirectory("sotto-list-verbs");
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
    return new Run(cmd.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  private static String ok(Path config, String... args) {
    Run r = run(config, args);
    assertEquals(0, r.exit(), () -> String.join(" ", args) + ": " + r.err());
    return r.out();
  }

  private Path register(String folder, String handle) {
    Path config = dir.resolve(folder);
    ok(config, "register", "--server", server.uri().toString(), "--handle", handle);
    return config;
  }

  private static List<JsonNode> json(Path config, String verb) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : ok(config, "-o", "json", verb).lines().toList()) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static String accountId(Path config, String handle) throws Exception {
    try (SottoClient c = SottoClient.open(config.resolve(handle), handle, null)) {
      return c.accountId().toString();
    }
  }

  @Test
  void listContacts_afterSending_showsTheRecipientPlainAndJson() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    assertEquals("", ok(alice, "listContacts"), "no contacts before the first send");
    ok(alice, "send", "-m", "hi", "bob");
    String bobId = accountId(bob, "bob");

    assertEquals(bobId + " bob", ok(alice, "listContacts").strip());
    List<JsonNode> contacts = json(alice, "listContacts");
    assertEquals(1, contacts.size());
    assertEquals(bobId, contacts.get(0).get("accountId").asText());
    assertEquals("bob", contacts.get(0).get("handle").asText());
  }

  @Test
  void listIdentities_goesFromUnverifiedToVerified() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    long before = System.currentTimeMillis();
    ok(alice, "send", "-m", "hi", "bob");
    String number = ok(alice, "safetyNumber", "bob").strip();

    List<JsonNode> first = json(alice, "listIdentities");
    assertEquals(1, first.size(), first.toString());
    JsonNode id = first.get(0);
    List<String> fields = new ArrayList<>();
    id.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("accountId", "handle", "trust", "addedAt", "safetyNumber"), fields);
    assertEquals(accountId(bob, "bob"), id.get("accountId").asText());
    assertEquals("bob", id.get("handle").asText());
    assertEquals("TRUSTED_UNVERIFIED", id.get("trust").asText());
    assertEquals(number, id.get("safetyNumber").asText(), "the same number as safetyNumber");
    long added = id.get("addedAt").asLong();
    assertTrue(added >= before - 1000 && added <= System.currentTimeMillis(), id.toString());

    ok(alice, "trust", "bob", "--verified-safety-number", number);

    JsonNode verified = json(alice, "listIdentities").get(0);
    assertEquals("VERIFIED", verified.get("trust").asText());
    assertEquals(added, verified.get("addedAt").asLong(), "the same key: added time kept");
    String plain = ok(alice, "listIdentities").strip();
    assertTrue(plain.startsWith(accountId(bob, "bob") + " bob VERIFIED "), plain);
    assertTrue(plain.endsWith(" " + number), plain);
  }

  @Test
  void listIdentities_afterTheHandleChangedHands_showsTheOldKeyUntrusted() throws Exception {
    Path alice = register("a", "alice");
    Path oldBob = register("b", "bob");
    ok(alice, "send", "-m", "hi", "bob");
    String oldId = accountId(oldBob, "bob");
    try (SottoClient c = SottoClient.open(oldBob.resolve("bob"), "bob", null)) {
      c.unregister();
    }
    Path newBob = register("b2", "bob");

    assertEquals(4, run(alice, "send", "-m", "not yet", "bob").exit());

    List<JsonNode> ids = json(alice, "listIdentities");
    assertEquals(1, ids.size(), ids.toString());
    assertEquals(oldId, ids.get(0).get("accountId").asText());
    assertEquals("UNTRUSTED", ids.get(0).get("trust").asText());

    ok(alice, "trust", "bob", "--all-known-keys");

    String newId = accountId(newBob, "bob");
    JsonNode now =
        json(alice, "listIdentities").stream()
            .filter(n -> n.get("accountId").asText().equals(newId))
            .findFirst()
            .orElseThrow();
    assertEquals("TRUSTED_UNVERIFIED", now.get("trust").asText());
    assertEquals("bob", now.get("handle").asText());
  }
}
