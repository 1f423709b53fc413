package org.sotto.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sotto.cli.testing.CliProcess;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.server.testing.TestServer;

/**
 * The common ground of the end-to-end tests: a temp folder, one real server process (restartable on
 * its port) and one config folder per person, each driven by real {@code sotto} CLI processes. Not
 * thread-safe, except that {@link #run} may be called for different people at once.
 */
final class Parties implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Seconds a {@code receive} waits at most; the server's queue-empty signal usually ends it
   * sooner.
   */
  static final String RECEIVE_TIMEOUT_SECONDS = "10";

  private final Path dir;
  private ServerProcess server;

  private Parties(Path dir, ServerProcess server) {
    this.dir = dir;
    this.server = server;
  }

  /** A temp folder and a server process on a free port. */
  static Parties start(String name) throws Exception {
    Path dir = Files.createTempDirectory("sotto-e2e-" + name);
    Files.createDirectories(dir.resolve("server"));
    return new Parties(dir, ServerProcess.start(dir.resolve("server"), dir.resolve("server.log")));
  }

  /** The server process now running (or stopped). */
  ServerProcess server() {
    return server;
  }

  /** The server's URL as clients remember it. */
  String url() {
    return server.uri().toString();
  }

  /** Stops the server with SIGTERM and starts it again on the same data folder and port. */
  void restartServer() throws Exception {
    server = server.restart();
  }

  /** The config folder of {@code person} (created by {@link #register}). */
  Path config(String person) {
    return dir.resolve("config-" + person);
  }

  /** Runs {@code sotto --config <person's folder> args…} to completion. */
  CliProcess.Result run(String person, String... args) throws InterruptedException {
    return run(person, Map.of(), args);
  }

  /** Runs {@code sotto --config <person's folder> args…} with {@code env} to completion. */
  CliProcess.Result run(String person, Map<String, String> env, String... args)
      throws InterruptedException {
    return CliProcess.run(config(person), env, args);
  }

  /** Like {@link #run}, but fails the test unless the process exits 0. */
  CliProcess.Result ok(String person, String... args) throws InterruptedException {
    CliProcess.Result r = run(person, args);
    assertEquals(0, r.exit(), () -> person + ": " + String.join(" ", args) + "\n" + r);
    return r;
  }

  /** Registers {@code handle} (the person's name) and returns its account id. */
  String register(String handle) throws InterruptedException {
    return register(handle, Map.of());
  }

  /** Registers {@code handle} with {@code env} (a passphrase) and returns its account id. */
  String register(String handle, Map<String, String> env) throws InterruptedException {
    CliProcess.Result r = run(handle, env, "register", "--server", url(), "--handle", handle);
    assertEquals(0, r.exit(), () -> "register " + handle + "\n" + r);
    String id = r.out().strip();
    assertTrue(id.matches("[0-9a-f-]{36}"), r.out());
    return id;
  }

  /** {@code sotto send -m text to} as {@code from}; fails the test unless it exits 0. */
  void send(String from, String text, String to) throws InterruptedException {
    ok(from, "send", "-m", text, to);
  }

  /** One {@code sotto -o json receive} as {@code person}: the JSON objects it printed. */
  List<JsonNode> receiveOnce(String person) throws InterruptedException {
    CliProcess.Result r = ok(person, "-o", "json", "receive", "--timeout", RECEIVE_TIMEOUT_SECONDS);
    assertEquals("", r.err(), () -> "receive printed errors\n" + r);
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.lines()) {
      try {
        out.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    return out;
  }

  /**
   * Receives as {@code person} until {@code expected} messages came or a {@code receive} brings
   * nothing, then one more {@code receive} that must bring nothing (no duplicates left behind).
   */
  List<JsonNode> receiveAll(String person, int expected) throws InterruptedException {
    List<JsonNode> all = new ArrayList<>();
    while (all.size() < expected) {
      List<JsonNode> got = receiveOnce(person);
      if (got.isEmpty()) {
        break;
      }
      all.addAll(got);
    }
    assertEquals(List.of(), receiveOnce(person), "nothing is delivered twice");
    return all;
  }

  /**
   * Asserts that {@code got} are exactly {@code texts}, in order, once each, from {@code fromId}.
   */
  static void assertConversation(
      List<JsonNode> got, List<String> texts, String fromHandle, String fromId) {
    assertEquals(texts, got.stream().map(n -> n.get("text").asText()).toList(), "texts in order");
    assertEquals(
        got.size(),
        got.stream().map(n -> n.get("id").asText()).distinct().count(),
        "every message id once");
    long lastTimestamp = Long.MIN_VALUE;
    for (JsonNode n : got) {
      assertEquals(fromId, n.get("fromUuid").asText(), "fromUuid");
      String from = n.get("from").asText();
      // The contract: the sender's handle when known, else its account id.
      assertTrue(from.equals(fromHandle) || from.equals(fromId), "from: " + from);
      assertEquals(1, n.get("device").asInt(), "sender device");
      long ts = n.get("timestamp").asLong();
      assertTrue(ts > lastTimestamp, "sender timestamps increase in delivery order");
      lastTimestamp = ts;
    }
  }

  /** SHA-256 of every regular file under {@code folder}, by relative path. */
  static Map<String, String> hashes(Path folder) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        out.put(folder.relativize(p).toString(), HexFormat.of().formatHex(digest));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      TestServer.deleteTree(dir);
    }
  }
}
