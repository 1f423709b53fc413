package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.testing.CliProcess;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.server.testing.TestServer;

/**
 * Device linking with real processes: a server process, and the CLI run as separate JVMs for Alice,
 * Bob's first device and Bob's new device (each with its own config folder).
 */
class LinkEndToEndIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long the link process may take to print its URI (a cold JVM on busy cores). */
  private static final Duration FIRST_LINE_TIMEOUT = Duration.ofSeconds(120);

  private Path dir;
  private ServerProcess server;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("sotto-link-e2e");
    server = ServerProcess.start(dir.resolve("server"), dir.resolve("server.log"));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestServer.deleteTree(dir);
  }

  private static CliProcess.Result ok(Path config, String... args) throws InterruptedException {
    CliProcess.Result r = CliProcess.run(config, args);
    assertEquals(0, r.exit(), () -> String.join(" ", args) + "\n" + r);
    return r;
  }

  private static List<JsonNode> jsonLines(CliProcess.Result r) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.lines()) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  void link_bobsSecondDevice_bothReceiveAlicesMessageAndListDevicesShowsTwo() throws Exception {
    String url = server.uri().toString();
    Path alice = dir.resolve("alice");
    Path bob = dir.resolve("bob");
    Path bob2 = dir.resolve("bob2");
    String aliceId = ok(alice, "register", "--server", url, "--handle", "alice").out().trim();
    ok(bob, "register", "--server", url, "--handle", "bob");

    CliProcess.Result linked;
    try (CliProcess link =
        CliProcess.start(bob2, Map.of(), "link", "--server", url, "-n", "Bob's laptop")) {
      String uri = link.nextLine(FIRST_LINE_TIMEOUT);
      assertNotNull(uri, () -> "no link URI printed\n" + link.stderr());
      assertTrue(uri.matches("sotto://link\\?uuid=[A-Za-z0-9_-]+&pub_key=[A-Za-z0-9_-]{43}"), uri);
      ok(bob, "addDevice", "--uri", uri);
      linked = link.await(CliProcess.RUN_TIMEOUT);
    }
    assertEquals(0, linked.exit(), linked::toString);
    List<String> lines = linked.lines();
    assertTrue(lines.size() > 10, "a QR code follows the URI");
    assertTrue(lines.get(1).chars().allMatch(c -> c == Qr.FULL), "QR quiet zone: " + lines.get(1));
    assertTrue(lines.get(lines.size() - 1).contains("as device 2"), linked::toString);

    ok(alice, "send", "-m", "hello both of you", "bob");

    for (Path device : List.of(bob, bob2)) {
      List<JsonNode> got = jsonLines(ok(device, "-o", "json", "receive", "--timeout", "20"));
      assertEquals(1, got.size(), device + ": " + got);
      assertEquals("hello both of you", got.get(0).get("text").asText());
      assertEquals(aliceId, got.get(0).get("fromUuid").asText());
    }

    List<JsonNode> devices = jsonLines(ok(bob2, "-o", "json", "listDevices"));
    assertEquals(2, devices.size(), devices::toString);
    assertEquals(1, devices.get(0).get("id").asInt());
    assertEquals(false, devices.get(0).get("thisDevice").asBoolean());
    assertEquals(2, devices.get(1).get("id").asInt());
    assertEquals("Bob's laptop", devices.get(1).get("name").asText());
    assertEquals(true, devices.get(1).get("thisDevice").asBoolean());
    List<String> plain = ok(bob, "listDevices").lines();
    assertEquals(List.of("1\t-\t(this device)", "2\tBob's laptop"), plain);

    CliProcess.Result self = CliProcess.run(bob2, "removeDevice", "-d", "2");
    assertEquals(1, self.exit(), self::toString);
    ok(bob, "removeDevice", "-d", "2");
    assertEquals(List.of("1\t-\t(this device)"), ok(bob, "listDevices").lines());
  }

  /** Links a new device in {@code config} to {@code existing}'s account, both real processes. */
  private static void linkDevice(Path existing, Path config, String url, String name)
      throws Exception {
    try (CliProcess link =
        CliProcess.start(config, Map.of(), "link", "--server", url, "-n", name)) {
      String uri = link.nextLine(FIRST_LINE_TIMEOUT);
      assertNotNull(uri, () -> "no link URI printed\n" + link.stderr());
      ok(existing, "addDevice", "--uri", uri);
      CliProcess.Result linked = link.await(CliProcess.RUN_TIMEOUT);
      assertEquals(0, linked.exit(), linked::toString);
    }
  }

  @Test
  void link_alicesSecondDevice_receivesTheMessagesSheSendsFromHerFirst() throws Exception {
    String url = server.uri().toString();
    Path alice = dir.resolve("alice");
    Path alice2 = dir.resolve("alice2");
    Path bob = dir.resolve("bob");
    String aliceId = ok(alice, "register", "--server", url, "--handle", "alice").out().trim();
    ok(bob, "register", "--server", url, "--handle", "bob");
    linkDevice(alice, alice2, url, "Alice's tablet");

    ok(alice, "send", "-m", "sent from my phone", "bob");

    List<JsonNode> copy = jsonLines(ok(alice2, "-o", "json", "receive", "--timeout", "20"));
    assertEquals(1, copy.size(), copy::toString);
    assertEquals("sent from my phone", copy.get(0).get("text").asText());
    assertEquals(aliceId, copy.get(0).get("fromUuid").asText(), "her own message");
    assertEquals(1, copy.get(0).get("device").asInt(), "sent by her first device");
    List<JsonNode> atBob = jsonLines(ok(bob, "-o", "json", "receive", "--timeout", "20"));
    assertEquals(1, atBob.size(), atBob::toString);
    assertEquals("sent from my phone", atBob.get(0).get("text").asText());
  }

  @Test
  void addDevice_malformedUri_exitsOneAndNamesTheProblem() throws Exception {
    Path bob = dir.resolve("bob");
    ok(bob, "register", "--server", server.uri().toString(), "--handle", "bob");

    CliProcess.Result r = CliProcess.run(bob, "addDevice", "--uri", "sotto://link?uuid=x");

    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.err().contains("not a valid device link URI"), r.err());
  }

  @Test
  void link_serverDown_exitsThreeNamingTheServer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    CliProcess.Result r =
        CliProcess.run(dir.resolve("nobody"), "link", "--server", url, "-n", "laptop");

    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains(url), r.err());
    assertEquals("", r.out());
  }
}
