package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.testing.CliProcess;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.server.testing.TestServer;

/**
 * The daemon as users run it: a real server process, Bob's {@code sotto daemon} process and Alice's
 * CLI processes. Alice's message reaches Bob's event stream; Bob's JSON-RPC {@code send} reaches
 * Alice's {@code receive}.
 */
class DaemonEndToEndIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long to wait for the daemon's start line or an event (a cold JVM on 2 busy cores). */
  private static final Duration WAIT = Duration.ofSeconds(90);

  private Path dir;
  private ServerProcess server;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("sotto-daemon-e2e");
    server = ServerProcess.start(Files.createDirectory(dir.resolve("server")), dir.resolve("log"));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestServer.deleteTree(dir);
  }

  private Path register(String handle) throws Exception {
    Path config = dir.resolve(handle);
    CliProcess.Result r =
        CliProcess.run(config, "register", "--server", server.uri().toString(), "--handle", handle);
    assertEquals(0, r.exit(), r.toString());
    return config;
  }

  @Test
  void daemon_eventStreamShowsAlicesMessage_andRpcSendReachesAlice() throws Exception {
    Path alice = register("alice");
    Path bob = register("bob");

    try (CliProcess daemon = CliProcess.start(bob, Map.of(), "daemon", "--http", "127.0.0.1:0")) {
      String ready = daemon.nextLine(WAIT);
      assertNotNull(ready, daemon.stderr());
      assertTrue(ready.matches("listening on http://127\\.0\\.0\\.1:[0-9]+"), ready);
      URI base = URI.create(ready.substring("listening on ".length()));
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<Stream<String>> events =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/v1/events")).GET().build(),
              HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, events.statusCode());
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  events.body().forEach(lines::add);
                } catch (RuntimeException e) {
                  // Closed at the end of the test.
                }
              });
      assertEquals(": subscribed", lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS));

      CliProcess.Result sent = CliProcess.run(alice, "send", "-m", "hello daemon", "bob");
      assertEquals(0, sent.exit(), sent.toString());

      JsonNode event = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      String previous = "";
      while (event == null && System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null && previous.equals("event: message") && line.startsWith("data: ")) {
          event = JSON.readTree(line.substring("data: ".length()));
        }
        previous = line == null ? previous : line;
      }
      assertNotNull(event, "no message event; daemon stderr:\n" + daemon.stderr());
      assertEquals("hello daemon", event.get("text").asText());
      assertEquals(1, event.get("device").asInt());

      HttpResponse<String> rpc =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/v1/rpc"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"send\","
                              + "\"params\":{\"message\":\"hello from the daemon\","
                              + "\"recipient\":\"alice\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, rpc.statusCode(), rpc.body());
      JsonNode answer = JSON.readTree(rpc.body());
      assertEquals("s1", answer.get("id").asText());
      assertTrue(answer.get("result").get("timestamp").asLong() > 0, rpc.body());

      CliProcess.Result received =
          CliProcess.run(alice, "-o", "json", "receive", "--timeout", "20");
      assertEquals(0, received.exit(), received.toString());
      List<String> texts =
          received.lines().stream().map(l -> tree(l).get("text").asText()).toList();
      assertEquals(List.of("hello from the daemon"), texts);
      events.body().close();

      daemon.process().destroy(); // SIGTERM
      assertTrue(
          daemon.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS),
          "the daemon stops on SIGTERM");
      CliProcess.Result after = CliProcess.run(bob, "listContacts");
      assertEquals(0, after.exit(), "the store is free again: " + after);
    }
  }

  private static JsonNode tree(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
