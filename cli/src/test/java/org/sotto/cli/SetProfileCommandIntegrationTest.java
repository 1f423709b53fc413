package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.sotto.client.ProfileName;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

/** {@code sotto setProfile --name NAME} through {@link SottoMain#commandLine}, on a real server. */
class SetProfileCommandIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exit, String out, String err) {}

  private TestServer server;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    dir = Files.createTempDirectory("sotto-cli-profile");
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

  private Path register(String handle) {
    Path config = dir.resolve(handle);
    ok(config, "register", "--server", server.uri().toString(), "--handle", handle);
    return config;
  }

  @Test
  void setProfile_thenMessage_contactReadsTheName() throws Exception {
    Path alice = register("alice");
    Path bob = register("bob");

    Run set = ok(alice, "setProfile", "--name", "Alice Liddell");
    assertFalse(set.out().contains("Alice Liddell"), "the name is not echoed");
    ok(alice, "send", "-m", "hello", "bob");
    ok(bob, "receive", "--timeout", "10");

    try (SottoClient b = SottoClient.open(bob.resolve("bob"), "bob", null)) {
      assertEquals(ProfileName.of("Alice Liddell"), b.profileName("alice"));
    }
  }

  @Test
  void setProfile_json_printsOneObject() throws Exception {
    Path alice = register("alice");
    Run r = ok(alice, "-o", "json", "setProfile", "--name", "A");
    assertTrue(JSON.readTree(r.out()).get("ok").asBoolean(), r.out());
  }

  @Test
  void setProfile_tooLongName_exitsWithUserError() {
    Path alice = register("alice");
    Run r = run(alice, "setProfile", "--name", "x".repeat(257));
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("invalid profile name"), r.err());
  }

  @Test
  void setProfile_withoutName_exitsWithUserError() {
    Path alice = register("alice");
    assertEquals(1, run(alice, "setProfile").exit());
  }
}
