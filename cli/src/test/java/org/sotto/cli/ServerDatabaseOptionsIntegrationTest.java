package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.server.testing.PostgresTestDatabase;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

/** {@code --db} on {@code sotto server} and its operator commands, against local PostgreSQL. */
class ServerDatabaseOptionsIntegrationTest {
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
  void inviteAndDisclose_withDb_workOnTheClusterDatabase() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        TestServer server =
            TestServer.start(
                c ->
                    c.toBuilder()
                        .inviteOnly(true)
                        .dbUrl(database.url())
                        .dbUser(database.user())
                        .build())) {
      Run invite = run("server", "invite", "--db", database.url(), "--db-user", database.user());
      assertEquals(0, invite.exit(), invite.err());
      List<String> codes = invite.out().lines().toList();
      assertEquals(1, codes.size());
      TestClient client = server.client();
      RegisterRequest base = TestDevice.generate().registerRequest("dbhandle");
      RegisterRequest withCode =
          new RegisterRequest(
              "dbhandle", base.identityKey(), base.deviceSecret(), base.keys(), null, codes.get(0));
      var registered = client.call("POST", "/v1/accounts", withCode, null);
      assertEquals(200, registered.status(), registered.text());
      String accountId = registered.json().get("accountId").asText();

      Run disclose =
          run(
              "server",
              "disclose",
              "--db",
              database.url(),
              "--db-user",
              database.user(),
              "dbhandle");
      assertEquals(0, disclose.exit(), disclose.err());
      assertTrue(disclose.out().contains(accountId), disclose.out());
      assertTrue(disclose.out().contains("devices:    1"), disclose.out());
    }
  }

  @Test
  void server_dbUserWithoutDb_exitsWithUserError() {
    Run r = run("server", "--db-user", "sotto");
    assertEquals(SottoMain.EXIT_USER_ERROR, r.exit());
    assertTrue(r.err().contains("--db"), r.err());
  }

  @Test
  void invite_credentialsInDbUrl_refusedWithoutEchoingThem() {
    Run r = run("server", "invite", "--db", "postgresql://sotto:s3cret@127.0.0.1:5432/sotto");
    assertEquals(SottoMain.EXIT_USER_ERROR, r.exit());
    assertTrue(r.err().contains("--db-password-file"), r.err());
    assertFalse(r.err().contains("s3cret"), r.err());
  }
}
