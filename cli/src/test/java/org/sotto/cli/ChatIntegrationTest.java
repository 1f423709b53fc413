package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.TestServer;
import picocli.CommandLine;

/** {@code chat} with piped standard input, as a real CLI process against a real server. */
class ChatIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long to wait for a message or a line (a cold JVM on 2 busy cores). */
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static final MessageListener NO_ERRORS = m -> {};

  private TestServer server;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    dir = Files.createTempDirectory("sotto-chat");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestServer.deleteTree(dir);
  }

  private Path register(String folder, String handle) {
    Path config = dir.resolve(folder);
    StringWriter err = new StringWriter();
    CommandLine cmd = SottoMain.commandLine(Map.of());
    cmd.setOut(new PrintWriter(new StringWriter()));
    cmd.setErr(new PrintWriter(err));
    int exit =
        cmd.execute(
            "--config",
            config.toString(),
            "register",
            "--server",
            server.uri().toString(),
            "--handle",
            handle);
    assertEquals(0, exit, err::toString);
    return config;
  }

  private static SottoClient open(Path config, String handle) throws Exception {
    return SottoClient.open(config.resolve(handle), handle, null);
  }

  /** Receives until {@code n} messages came or {@link #WAIT} passed. */
  private static List<String> receiveTexts(SottoClient client, int n) throws Exception {
    List<String> texts = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (texts.size() < n && System.nanoTime() < deadline) {
      for (IncomingMessage m : client.receiveUntilQueueEmpty(Duration.ofSeconds(5), NO_ERRORS)) {
        texts.add(m.text());
      }
    }
    return texts;
  }

  @Test
  void chat_pipedStdin_sendsEachLineAndPrintsOnlyThisConversation() throws Exception {
    Path alice = register("a", "alice");
    Path bob = register("b", "bob");
    Path carol = register("c", "carol");

    try (CliProcess chat = CliProcess.start(alice, Map.of(), "-o", "json", "chat", "bob")) {
      OutputStream in = chat.stdin();
      in.write("first line\n\nsecond line\n".getBytes(StandardCharsets.UTF_8));
      in.flush();

      try (SottoClient b = open(bob, "bob")) {
        assertEquals(List.of("first line", "second line"), receiveTexts(b, 2), chat.stderr());
        try (SottoClient c = open(carol, "carol")) {
          c.send("alice", "not this conversation");
        }
        b.send("alice", "reply from bob");
      }

      String line = chat.nextLine(WAIT);
      assertNotNull(line, chat.stderr());
      JsonNode m = JSON.readTree(line);
      assertEquals("reply from bob", m.get("text").asText(), line);
      assertEquals("bob", m.get("from").asText(), "alice knows bob by handle");

      in.close();
      CliProcess.Result r = chat.await(WAIT);
      assertEquals(0, r.exit(), r.toString());
      assertEquals(1, r.lines().size(), "carol's message is not part of this chat: " + r);
    }
  }
}
