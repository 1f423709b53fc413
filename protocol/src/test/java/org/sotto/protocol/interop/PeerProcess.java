package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One running interop peer process (libsignal through Node, or Sotto in a fresh JVM) and the
 * JSON-lines conversation with it. A reader thread drains stdout into a queue, so many requests can
 * be written before their replies are read ({@link #callAll}) without the pipes filling up; stderr
 * is kept (last lines) for failure messages and echoed to the test's stderr. Not thread-safe: one
 * test thread talks to one process.
 */
final class PeerProcess implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Longest wait for one reply: a first Node start with a cold cache, or a slow CI machine, is well
   * within it.
   */
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

  private static final int STDERR_LINES_KEPT = 60;
  private static final String EOF = "\u0000eof";

  private final String label;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stderrPump;
  private long nextId;

  private PeerProcess(String label, ProcessBuilder builder) {
    this.label = label;
    try {
      this.process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the " + label + " peer: " + builder.command(), e);
    }
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    daemon(label + "-stdout", this::pumpStdout).start();
    this.stderrPump = daemon(label + "-stderr", this::pumpStderr);
    stderrPump.start();
  }

  /**
   * Starts the libsignal peer ({@code node interop/libsignal-peer.mjs}), running {@code npm ci}
   * first if needed.
   */
  static PeerProcess libsignal() {
    Path interop = InteropEnvironment.repoRoot().resolve("interop");
    String node = InteropEnvironment.requireTool("node");
    InteropEnvironment.ensureNodeModules(interop);
    ProcessBuilder pb = new ProcessBuilder(node, "libsignal-peer.mjs").directory(interop.toFile());
    return new PeerProcess("libsignal", pb);
  }

  /**
   * Starts the libsignal peer on the other pinned library, {@code version} being {@code "0.103"}
   * ({@code --libsignal} of {@code interop/libsignal-peer.mjs}).
   */
  static PeerProcess libsignal(String version) {
    Path interop = InteropEnvironment.repoRoot().resolve("interop");
    String node = InteropEnvironment.requireTool("node");
    InteropEnvironment.ensureNodeModules(interop);
    ProcessBuilder pb =
        new ProcessBuilder(node, "libsignal-peer.mjs", "--libsignal", version)
            .directory(interop.toFile());
    return new PeerProcess("libsignal-" + version, pb);
  }

  /** Starts the Sotto peer in a fresh JVM on this test JVM's java and classpath. */
  static PeerProcess sotto() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java.toString(), "-cp", System.getProperty("java.class.path"), Peer.class.getName())
            .directory(InteropEnvironment.repoRoot().toFile());
    return new PeerProcess("sotto", pb);
  }

  /**
   * Starts the peer at {@code command} (e.g. the {@code interop/sotto-peer} script) from {@code
   * workDir}.
   */
  static PeerProcess command(String label, Path workDir, String... command) {
    return new PeerProcess(label, new ProcessBuilder(command).directory(workDir.toFile()));
  }

  String label() {
    return label;
  }

  /**
   * A request object {@code {"op": op, k1: v1, ...}}; values are strings, numbers, booleans, byte[]
   * or JsonNode.
   */
  static ObjectNode request(String op, Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("key/value pairs expected");
    }
    ObjectNode req = MAPPER.createObjectNode().put("op", op);
    for (int i = 0; i < keyValues.length; i += 2) {
      Object v = keyValues[i + 1];
      if (v instanceof byte[] b) {
        req.put((String) keyValues[i], java.util.Base64.getEncoder().encodeToString(b));
      } else {
        req.set((String) keyValues[i], MAPPER.valueToTree(v));
      }
    }
    return req;
  }

  /** Sends one request and returns its reply, whether ok or not. */
  JsonNode call(ObjectNode request) {
    return callAll(List.of(request)).get(0);
  }

  /**
   * Sends {@code op} and returns its successful reply; fails the test (naming a gap for unsupported
   * ops) otherwise.
   */
  JsonNode ok(String op, Object... keyValues) {
    JsonNode reply = call(request(op, keyValues));
    return requireOk(op, reply);
  }

  /** Sends {@code op}, requires it to fail, and returns the error kind. */
  String failure(String op, Object... keyValues) {
    JsonNode reply = call(request(op, keyValues));
    if (reply.path("ok").asBoolean()) {
      fail(label + " peer: " + op + " succeeded but a failure was expected: " + reply);
    }
    requireSupported(op, reply);
    return reply.path("kind").asText();
  }

  /**
   * Writes all requests, then reads all replies (pipelined: one round trip's latency for the whole
   * batch).
   */
  List<JsonNode> callAll(List<ObjectNode> requests) {
    List<String> ids = new ArrayList<>(requests.size());
    try {
      for (ObjectNode r : requests) {
        String id = label + "-" + ++nextId;
        ids.add(id);
        ObjectNode withId = r.deepCopy();
        withId.put("id", id);
        stdin.write(MAPPER.writeValueAsString(withId));
        stdin.write('\n');
      }
      stdin.flush();
    } catch (IOException e) {
      fail(label + " peer: cannot write request (process exited?)" + diagnostics(), e);
    }
    List<JsonNode> out = new ArrayList<>(requests.size());
    for (int i = 0; i < ids.size(); i++) {
      String line = nextLine(requests.get(i));
      JsonNode reply;
      try {
        reply = MAPPER.readTree(line);
      } catch (IOException e) {
        throw new AssertionError(label + " peer: reply is not JSON: " + line + diagnostics());
      }
      if (!ids.get(i).equals(reply.path("id").asText())) {
        fail(label + " peer: reply out of order, expected id " + ids.get(i) + ": " + line);
      }
      out.add(reply);
    }
    return out;
  }

  /** Requires every reply of a {@link #callAll} batch to be ok. */
  List<JsonNode> okAll(List<ObjectNode> requests) {
    List<JsonNode> replies = callAll(requests);
    for (int i = 0; i < replies.size(); i++) {
      requireOk(requests.get(i).path("op").asText() + " #" + i, replies.get(i));
    }
    return replies;
  }

  JsonNode requireOk(String what, JsonNode reply) {
    if (!reply.path("ok").asBoolean()) {
      requireSupported(what, reply);
      fail(
          label
              + " peer: "
              + what
              + " failed: kind="
              + reply.path("kind").asText()
              + " error="
              + reply.path("error").asText());
    }
    return reply;
  }

  private void requireSupported(String what, JsonNode reply) {
    if ("unsupported".equals(reply.path("kind").asText())) {
      fail(
          "GAP: the "
              + label
              + " peer does not support "
              + what
              + " ("
              + reply.path("error").asText()
              + "), so this interop check cannot run");
    }
  }

  /** Sends {@code quit} and waits for the process to exit; kills it if it does not. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        stdin.write(MAPPER.writeValueAsString(request("quit").put("id", "quit")) + "\n");
        stdin.flush();
      }
    } catch (IOException e) {
      // Already gone: nothing to ask.
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Exit code after {@link #close}, or -1 while still running. */
  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  private String nextLine(ObjectNode request) {
    String line;
    try {
      line = replies.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(label + " peer: interrupted");
    }
    if (line == null) {
      throw new AssertionError(
          label
              + " peer: no reply within "
              + REPLY_TIMEOUT.toSeconds()
              + " s to "
              + request.path("op").asText()
              + diagnostics());
    }
    if (line == EOF) {
      replies.add(EOF);
      throw new AssertionError(
          label
              + " peer: process ended before replying to "
              + request.path("op").asText()
              + diagnostics());
    }
    return line;
  }

  private String diagnostics() {
    StringBuilder sb = new StringBuilder();
    try {
      // A process that is exiting still has its last words in the pipe: give the pump a moment.
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        stderrPump.join(2000);
        sb.append("\n  exit code: ").append(process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (stderrTail) {
      if (!stderrTail.isEmpty()) {
        sb.append("\n  last stderr lines:\n    ").append(String.join("\n    ", stderrTail));
      }
    }
    return sb.toString();
  }

  private void pumpStdout() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          replies.add(line);
        }
      }
    } catch (IOException e) {
      // The process went away; the EOF marker below reports it.
    } finally {
      replies.add(EOF);
    }
  }

  private void pumpStderr() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        System.err.println("[" + label + " peer] " + line);
        synchronized (stderrTail) {
          stderrTail.addLast(line);
          if (stderrTail.size() > STDERR_LINES_KEPT) {
            stderrTail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The process went away.
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }
}
