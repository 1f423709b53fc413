package org.sotto.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.sotto.cli.demo.DataFolderScan;
import org.sotto.cli.demo.StorageSnapshot;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.ReceivedAttachment;
import org.sotto.client.SottoClient;
import org.sotto.server.ServerConfig;
import org.sotto.server.SottoServer;
import org.sotto.server.admin.Disclosure;
import org.sotto.server.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sotto demo}: starts a server on embedded SQLite in a temporary folder on a free port, lets
 * Alice and Bob (two client SDK instances, each with its own encrypted local store) talk through it
 * end to end, and prints side by side what each of them read and what the server stored: ciphertext
 * only, deleted once delivered. {@code --in-memory} runs the protocol alone without a server. Not
 * thread-safe (one run per instance).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run a server on embedded SQLite, talk through it end to end, show what it stored.")
final class DemoCommand implements Callable<Integer> {
  /** Bytes of ciphertext shown per stored envelope. */
  private static final int PREVIEW_BYTES = 12;

  /**
   * How long one receive may take: the server is local, so anything near this means it is stuck.
   */
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(20);

  /** The demo attachment's file name. */
  private static final String ATTACHMENT_NAME = "plan.txt";

  /** The demo attachment's content (small: the demo is about what the server sees, not speed). */
  private static final String ATTACHMENT_TEXT =
      "Meet at the library at seven. Bring the blue notebook.\n";

  /** Width of the "read" column of the side-by-side table. */
  private static final int READ_COLUMN = 62;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Keep the server's data in DIR (default: a temporary folder, deleted at the end).")
  Path data;

  @Option(names = "--in-memory", description = "Only the protocol, in memory, without a server.")
  boolean inMemory;

  /** One line of the conversation: who says what to whom. */
  private record Line(boolean fromAlice, String text) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (inMemory) {
      return new ProtocolDemo().run(out);
    }
    // The demo prints its own story; the server's routine log lines would only interleave with it.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path work = Files.createTempDirectory("sotto-demo");
    Path serverData = data != null ? data : work.resolve("server");
    try {
      return run(out, serverData, work.resolve("clients"));
    } finally {
      deleteTree(work);
    }
  }

  private int run(PrintWriter out, Path serverData, Path clients) throws Exception {
    ServerConfig config = ServerConfig.defaults(serverData).listen("127.0.0.1", 0);
    Path db = serverData.resolve(SqliteDatabase.FILE_NAME);
    List<byte[]> secrets = new ArrayList<>();
    try (SottoServer server = SottoServer.start(config);
        SottoClient alice =
            SottoClient.register(server.uri(), "alice", clients.resolve("alice"), null);
        SottoClient bob = SottoClient.register(server.uri(), "bob", clients.resolve("bob"), null)) {
      out.printf("Sotto demo: a server on embedded SQLite at %s (data in %s).%n", server.uri(), db);
      out.printf(
          "Alice (%s) and Bob (%s) registered; their keys stay in their own encrypted stores.%n%n",
          alice.accountId(), bob.accountId());
      out.printf("%-13s %-" + READ_COLUMN + "s %s%n", "", "what they read", "what the server held");
      List<Line> script =
          List.of(
              new Line(true, "Hi Bob! Nobody but you can read this, not even the server."),
              new Line(false, "Hi Alice! My reply ratchets our keys forward."),
              new Line(true, "Every message gets a fresh key."),
              new Line(false, "And the server only ever relayed ciphertext. Bye!"));
      for (Line line : script) {
        SottoClient from = line.fromAlice() ? alice : bob;
        SottoClient to = line.fromAlice() ? bob : alice;
        from.send(line.fromAlice() ? "bob" : "alice", line.text());
        secrets.add(line.text().getBytes(StandardCharsets.UTF_8));
        List<StorageSnapshot.StoredEnvelope> held = StorageSnapshot.envelopes(db);
        List<IncomingMessage> got = to.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, new Quiet());
        String read = got.isEmpty() ? "(nothing arrived)" : "\"" + got.get(0).text() + "\"";
        out.printf(
            "%-13s %-" + READ_COLUMN + "s %s%n",
            line.fromAlice() ? "Alice -> Bob" : "Bob -> Alice",
            read,
            describe(held));
        if (got.isEmpty() || !got.get(0).text().equals(line.text())) {
          out.println("The message did not arrive as sent.");
          return SottoMain.EXIT_UNEXPECTED;
        }
      }
      // A small attachment: encrypted on Alice's device with a fresh key, uploaded, and sent as a
      // pointer with its key and digest inside the end-to-end encrypted message.
      Path file = clients.resolveSibling(ATTACHMENT_NAME);
      byte[] plan = ATTACHMENT_TEXT.getBytes(StandardCharsets.UTF_8);
      Files.write(file, plan);
      String caption = "Here is the plan.";
      secrets.add(caption.getBytes(StandardCharsets.UTF_8));
      alice.send("bob", caption, List.of(file), null);
      List<StorageSnapshot.StoredEnvelope> held = StorageSnapshot.envelopes(db);
      long blobBytes = attachmentBytes(serverData);
      List<IncomingMessage> got = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, new Quiet());
      if (got.isEmpty() || got.get(0).attachments().size() != 1) {
        out.println("The attachment did not arrive as sent.");
        return SottoMain.EXIT_UNEXPECTED;
      }
      ReceivedAttachment a = got.get(0).attachments().get(0);
      boolean same = a.saved() && Arrays.equals(Files.readAllBytes(a.path()), plan);
      out.printf(
          "%-13s %-" + READ_COLUMN + "s %s%n",
          "Alice -> Bob",
          String.format(
              "\"%s\" + %s (%d B, %s)",
              got.get(0).text(),
              a.fileName(),
              a.size(),
              same ? "digest checked, same bytes" : "NOT the same bytes"),
          describe(held) + "; attachment blob " + blobBytes + " B (encrypted)");
      if (!same) {
        return SottoMain.EXIT_UNEXPECTED;
      }
      // Bob's device sent Alice a delivery receipt for the attachment message: collect it.
      alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, new Quiet());
      out.println();
      waitForQueueEmpty(db);
      out.println("What the server stores now (rows per table; delivered envelopes are deleted):");
      for (Map.Entry<String, Long> e : StorageSnapshot.rowCounts(db).entrySet()) {
        out.printf("   %-20s %d%n", e.getKey(), e.getValue());
      }
      // The server must hold neither the texts nor the file; the clients' stores must not hold the
      // texts in the clear (a received file is saved as a file, as any messenger does).
      List<byte[]> serverNeedles = new ArrayList<>(secrets);
      serverNeedles.add(plan);
      DataFolderScan.Result scan = DataFolderScan.scan(serverData, serverNeedles);
      out.printf(
          "Scanned the server's %d files (%d bytes) for the %d texts and the file: %s.%n",
          scan.files(),
          scan.bytes(),
          secrets.size(),
          scan.hits().isEmpty() ? "none found" : "FOUND " + scan.hits());
      DataFolderScan.Result local = DataFolderScan.scan(clients, secrets);
      out.printf(
          "Scanned Alice's and Bob's local stores (%d files) for the texts: %s (their history is"
              + " encrypted at rest).%n",
          local.files(), local.hits().isEmpty() ? "none found" : "FOUND " + local.hits());
      out.println();
      out.println("Everything the server could disclose about Alice ('sotto server disclose'):");
      Disclosure.of(serverData, alice.accountId().toString())
          .ifPresent(
              r ->
                  out.printf(
                      "   account %s, created %s, last seen %s, %d device(s), handle %s%n",
                      r.accountId(),
                      r.created(),
                      r.lastSeen(),
                      r.deviceCount(),
                      r.handle() == null ? "(none)" : r.handle()));
      out.printf("%nRun './sotto server' to keep a server running; docs/cli.md shows the verbs.%n");
      out.flush();
      return scan.hits().isEmpty() && local.hits().isEmpty() ? 0 : SottoMain.EXIT_UNEXPECTED;
    }
  }

  /** Bytes of the encrypted attachment blobs in the server's data folder. */
  private static long attachmentBytes(Path serverData) throws IOException {
    Path dir = serverData.resolve("attachments");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long total = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        total += Files.size(p);
      }
    }
    return total;
  }

  /**
   * What the server held for the message just sent (the newest envelope): type, size and first
   * bytes. Older queued envelopes are the SDK's delivery receipts, which look like any message.
   */
  private static String describe(List<StorageSnapshot.StoredEnvelope> held) {
    if (held.isEmpty()) {
      return "(nothing queued)";
    }
    StorageSnapshot.StoredEnvelope e = held.get(held.size() - 1);
    return String.format(
        "type %d, %d B %s…%s%s",
        e.type(),
        e.content().length,
        HexFormat.of().formatHex(e.content(), 0, Math.min(PREVIEW_BYTES, e.content().length)),
        e.hasSender() ? "" : ", sender hidden",
        held.size() > 1 ? " (+" + (held.size() - 1) + " receipt)" : "");
  }

  /**
   * Acks are deleted in the next group commit; wait (briefly) until the queue is empty to show it.
   */
  private static void waitForQueueEmpty(Path db) throws Exception {
    for (int i = 0; i < 50 && !StorageSnapshot.envelopes(db).isEmpty(); i++) {
      Thread.sleep(20);
    }
  }

  /** Receive errors do not occur in the demo; were one to, the text check above reports it. */
  private static final class Quiet implements MessageListener {
    @Override
    public void onMessage(IncomingMessage message) {}
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
