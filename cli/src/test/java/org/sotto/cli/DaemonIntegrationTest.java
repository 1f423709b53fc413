package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.daemon.DaemonServer;
import org.sotto.cli.daemon.JsonRpc;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

/** The daemon in this process, on Bob's open account, against a real in-process server. */
class DaemonIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long to wait for an event or a poll to come true (2 busy cores). */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestServer server;
  private Path dir;
  private Path aliceConfig;
  private SottoClient bob;
  private Daemon daemon;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Stream<String>> streams = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    dir = Files.createTempDirectory("sotto-daemon");
    aliceConfig = register("a", "alice");
    Path bobConfig = register("b", "bob");
    Accounts accounts = Accounts.in(bobConfig, Map.of());
    bob = accounts.open("bob");
    daemon =
        Daemon.start(
            bob,
            "bob",
            accounts,
            Map.of(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    base = URI.create("http://127.0.0.1:" + daemon.address().getPort());
  }

  @AfterEach
  void stop() throws Exception {
    streams.forEach(Stream::close);
    if (daemon != null) {
      daemon.close();
    }
    if (bob != null) {
      bob.close();
    }
    if (server != null) {
      server.close();
    }
    TestServer.deleteTree(dir);
  }

  private static String cli(Path config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = SottoMain.commandLine(Map.of());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    int exit = cmd.execute(all.toArray(String[]::new));
    assertEquals(0, exit, () -> String.join(" ", args) + ": " + err);
    return out.toString();
  }

  private Path register(String folder, String handle) {
    Path config = dir.resolve(folder);
    cli(config, "register", "--server", server.uri().toString(), "--handle", handle);
    return config;
  }

  private HttpResponse<String> post(String body) throws Exception {
    return post(body, "application/json");
  }

  private HttpResponse<String> post(String body, String type) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(DaemonServer.RPC_PATH))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode call(String method, String params) throws Exception {
    HttpResponse<String> r =
        post(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
                + method
                + "\",\"params\":"
                + params
                + "}");
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** Subscribes to the event stream; its lines arrive in the returned queue. */
  private BlockingQueue<String> subscribe() throws Exception {
    HttpResponse<Stream<String>> r =
        http.send(
            HttpRequest.newBuilder(base.resolve(DaemonServer.EVENTS_PATH)).GET().build(),
            HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, r.statusCode());
    assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    streams.add(r.body());
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                r.body().forEach(lines::add);
              } catch (RuntimeException e) {
                // The stream was closed at the end of the test.
              }
            });
    return lines;
  }

  /** The data of the next {@code message} event on {@code lines}. */
  private static JsonNode nextMessage(BlockingQueue<String> lines) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    boolean inMessage = false;
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        continue;
      }
      if (line.equals("event: message")) {
        inMessage = true;
      } else if (inMessage && line.startsWith("data: ")) {
        return JSON.readTree(line.substring("data: ".length()));
      }
    }
    throw new AssertionError("no message event within " + WAIT);
  }

  private void awaitSubscribers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (daemon.subscribers() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(n, daemon.subscribers());
  }

  @Test
  void rpcSend_deliversToTheOtherSide() throws Exception {
    JsonNode r = call("send", "{\"message\":\"hi alice\",\"recipient\":\"alice\"}");

    assertTrue(r.get("result").get("timestamp").asLong() > 0, r.toString());
    String received = cli(aliceConfig, "-o", "json", "receive", "--timeout", "10");
    JsonNode m = JSON.readTree(received.lines().findFirst().orElseThrow());
    assertEquals("hi alice", m.get("text").asText());
    assertEquals(bob.accountId().toString(), m.get("fromUuid").asText());
  }

  @Test
  void events_twoSubscribers_bothGetTheMessageWithTheSendersHandle() throws Exception {
    call("send", "{\"message\":\"hello\",\"recipient\":\"alice\"}"); // Bob now knows alice.
    BlockingQueue<String> first = subscribe();
    BlockingQueue<String> second = subscribe();
    awaitSubscribers(2);

    cli(aliceConfig, "send", "-m", "hello bob", "bob");

    for (BlockingQueue<String> lines : List.of(first, second)) {
      JsonNode m = nextMessage(lines);
      assertEquals("hello bob", m.get("text").asText());
      assertEquals("alice", m.get("from").asText());
      List<String> fields = new ArrayList<>();
      m.fieldNames().forEachRemaining(fields::add);
      assertEquals(
          List.of("id", "from", "fromUuid", "device", "timestamp", "text", "attachments"), fields);
    }
  }

  @Test
  void rpc_listContactsAndListIdentities_returnArraysOrSingleObjects() throws Exception {
    call("send", "{\"m\":\"hi\",\"RECIPIENT\":\"alice\"}");

    JsonNode contacts = call("listContacts", "{}").get("result");
    JsonNode identities = call("listIdentities", "{}").get("result");

    assertEquals("alice", contacts.get("handle").asText(), contacts.toString());
    assertEquals("alice", identities.get("handle").asText(), identities.toString());
    assertEquals("TRUSTED_UNVERIFIED", identities.get("trust").asText());
  }

  @Test
  void rpcErrors_areJsonRpcErrors_andTheDaemonStaysUp() throws Exception {
    assertEquals(
        JsonRpc.PARSE_ERROR,
        JSON.readTree(post("{\"jsonrpc\":").body()).get("error").get("code").asInt());
    assertEquals(
        JsonRpc.INVALID_REQUEST,
        JSON.readTree(post("[1,2]").body()).get(0).get("error").get("code").asInt());
    assertEquals(JsonRpc.METHOD_NOT_FOUND, call("nope", "{}").get("error").get("code").asInt());
    assertEquals(
        JsonRpc.INVALID_PARAMS,
        call("send", "{\"colour\":\"red\"}").get("error").get("code").asInt());
    assertEquals(
        JsonRpc.INVALID_PARAMS,
        call("send", "{\"recipient\":\"alice\"}").get("error").get("code").asInt(),
        "the required -m is missing");
    JsonNode unknown = call("send", "{\"message\":\"x\",\"recipient\":\"nobody_here\"}");
    assertEquals(JsonRpc.VERB_FAILED, unknown.get("error").get("code").asInt());
    assertEquals(1, unknown.get("error").get("data").get("exitCode").asInt());
    assertTrue(unknown.get("error").get("message").asText().contains("unknown recipient"));
    JsonNode receive = call("receive", "{}");
    assertEquals(JsonRpc.VERB_FAILED, receive.get("error").get("code").asInt());
    assertTrue(receive.get("error").get("message").asText().contains("event stream"));
    JsonNode otherAccount =
        post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon\",\"params\":{\"http\":\"x:1\"}}")
            .body()
            .transform(this::tree);
    assertEquals(1, otherAccount.get("error").get("data").get("exitCode").asInt());

    assertEquals(
        204,
        post("{\"jsonrpc\":\"2.0\",\"method\":\"listContacts\"}").statusCode(),
        "notification");
    assertEquals(415, post("{}", "text/plain").statusCode());
    assertEquals(413, post("\"" + "x".repeat(DaemonServer.MAX_BODY_BYTES) + "\"").statusCode());
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(base.resolve(DaemonServer.RPC_PATH)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    HttpResponse<String> missing =
        http.send(
            HttpRequest.newBuilder(base.resolve("/nothing")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());

    JsonNode after = call("send", "{\"message\":\"still up\",\"recipient\":\"alice\"}");
    assertNotNull(after.get("result"), after.toString());
  }

  private JsonNode tree(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(s, e);
    }
  }
}
