package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.server.http.Json;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

class ServerAdminCommandsTest {
  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = SottoMain.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void invite_count_printsDistinctCodesEachRegisteringOnce() throws Exception {
    try (TestServer server = TestServer.start(c -> c.toBuilder().inviteOnly(true).build())) {
      Run r = run("server", "invite", "--data", server.dataDir().toString(), "--count", "3");
      assertEquals(0, r.exit(), r.err());
      List<String> codes = r.out().lines().toList();
      assertEquals(3, codes.size());
      assertEquals(3, new HashSet<>(codes).size());
      TestClient client = server.client();
      RegisterRequest base = TestDevice.generate().registerRequest(null);
      RegisterRequest withCode =
          new RegisterRequest(
              null, base.identityKey(), base.deviceSecret(), base.keys(), null, codes.get(1));
      assertEquals(200, client.call("POST", "/v1/accounts", withCode, null).status());
      assertEquals(403, client.call("POST", "/v1/accounts", withCode, null).status());
    }
  }

  @Test
  void invite_countOutOfRange_exitsWithUserError() throws Exception {
    Path dir = Files.createTempDirectory("sotto-cli");
    try {
      Run r = run("server", "invite", "--data", dir.toString(), "--count", "0");
      assertEquals(1, r.exit());
      assertTrue(r.err().contains("--count"), r.err());
    } finally {
      TestServer.deleteTree(dir);
    }
  }

  @Test
  void disclose_accountWithHandleAndTwoDevices_printsExactlyTheFiveFacts() throws Exception {
    try (TestServer server = TestServer.start()) {
      TestClient client = server.client();
      TestDevice alice = client.register("Carol_9");
      String code =
          client
              .call("POST", "/v1/devices/provisioning/code", null, alice)
              .json()
              .get("code")
              .asText();
      TestDevice second = TestDevice.generate(alice.identity);
      assertEquals(
          200,
          client
              .call(
                  "POST",
                  "/v1/devices/link",
                  new LinkDeviceRequest(alice.account(), code, second.secret, second.deviceKeys()),
                  null)
              .status());
      String today = LocalDate.now(ZoneOffset.UTC).toString();
      String data = server.dataDir().toString();

      Run text = run("server", "disclose", "--data", data, "carol_9");
      assertEquals(0, text.exit(), text.err());
      assertEquals(
          List.of(
              "account id: " + alice.account(),
              "created:    " + today,
              "last seen:  " + today,
              "devices:    2",
              "handle:     carol_9"),
          text.out().lines().toList());

      Run json = run("server", "disclose", "--json", "--data", data, alice.account().toString());
      assertEquals(0, json.exit(), json.err());
      JsonNode node = Json.mapper().readTree(json.out());
      assertEquals(5, node.size(), json.out());
      assertEquals(alice.account().toString(), node.get("accountId").asText());
      assertEquals(today, node.get("created").asText());
      assertEquals(today, node.get("lastSeen").asText());
      assertEquals(2, node.get("deviceCount").asInt());
      assertEquals("carol_9", node.get("handle").asText());
    }
  }

  @Test
  void disclose_unknownOrInvalidAccount_exitsOneWithMessage() throws Exception {
    try (TestServer server = TestServer.start()) {
      String data = server.dataDir().toString();
      Run unknown = run("server", "disclose", "--data", data, "nobody_at_all");
      assertEquals(1, unknown.exit());
      assertTrue(unknown.err().contains("no such account"), unknown.err());
      assertEquals("", unknown.out());
      Run invalid = run("server", "disclose", "--data", data, "../etc");
      assertEquals(1, invalid.exit());
      assertTrue(invalid.err().contains("UUID or a handle"), invalid.err());
    }
  }

  @Test
  void disclose_folderWithoutDatabase_exitsOne() throws Exception {
    Path dir = Files.createTempDirectory("sotto-cli");
    try {
      Run r = run("server", "disclose", "--data", dir.toString(), "someone");
      assertEquals(1, r.exit());
      assertTrue(r.err().contains("no Sotto database"), r.err());
    } finally {
      TestServer.deleteTree(dir);
    }
  }
}
