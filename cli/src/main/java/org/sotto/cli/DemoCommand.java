package org.sotto.cli;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sotto.cli.demo.DataFolderScan;
import org.sotto.cli.demo.DemoDevice;
import org.sotto.cli.demo.StorageSnapshot;
import org.sotto.server.ServerConfig;
import org.sotto.server.SottoServer;
import org.sotto.server.admin.Disclosure;
import org.sotto.server.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sotto demo}: starts a server on embedded SQLite, lets Alice and Bob talk through it with
 * end-to-end encryption, and shows what the server stored: ciphertext only, deleted once delivered.
 * {@code --in-memory} runs the protocol alone without a server.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run a server on embedded SQLite, talk through it end to end, show what it stored.")
final class DemoCommand implements Callable<Integer> {
  /** Bytes of ciphertext shown per stored envelope. */
  private static final int PREVIEW_BYTES = 16;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Server data folder (default: ${DEFAULT-VALUE}; the same as 'sotto server').",
      defaultValue = "sotto-data")
  Path data;

  @Option(names = "--in-memory", description = "Only the protocol, in memory, without a server.")
  boolean inMemory;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (inMemory) {
      return new ProtocolDemo().run(out);
    }
    // The demo prints its own story; the server's routine log lines would only interleave with it.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    SecureRandom rng = new SecureRandom();
    ServerConfig config = ServerConfig.defaults(data).listen("127.0.0.1", 0);
    Path db = data.resolve(SqliteDatabase.FILE_NAME);
    List<String> said = new ArrayList<>();
    try (SottoServer server = SottoServer.start(config);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        DemoDevice alice = new DemoDevice("Alice", server.uri(), http, rng);
        DemoDevice bob = new DemoDevice("Bob", server.uri(), http, rng)) {
      out.printf(
          "Sotto demo: a server on embedded SQLite (%s) at %s, and two devices.%n",
          db, server.uri());
      alice.register(null);
      bob.register(null);
      out.printf(
          "Alice registered as %s, Bob as %s (keys stay on each device).%n%n",
          alice.accountId(), bob.accountId());

      String first = "Hi Bob! Nobody but you can read this, not even the server.";
      alice.send(bob, first);
      said.add(first);
      out.println(
          "1. Alice fetches Bob's prekey bundle, runs PQXDH (X25519 + Kyber-1024) and sends:");
      out.printf("   \"%s\"%n", first);
      out.println("   What the server holds for Bob while he is offline:");
      for (StorageSnapshot.StoredEnvelope e : StorageSnapshot.envelopes(db)) {
        out.printf(
            "   envelope: type %d, %d bytes, content %s… (ciphertext), sender %s%n",
            e.type(),
            e.content().length,
            HexFormat.of().formatHex(e.content(), 0, Math.min(PREVIEW_BYTES, e.content().length)),
            e.hasSender() ? "recorded for delivery" : "not recorded (sealed sender)");
      }
      out.println();
      out.println(
          "2. Bob connects, receives, decrypts and acknowledges (the server then deletes it):");
      bob.connect();
      alice.connect();
      DemoDevice.Received got = bob.receive();
      out.printf("   Bob reads: \"%s\"%n%n", got.plaintext());

      String[][] script = {
        {"B", "Hi Alice! My reply ratchets our keys forward."},
        {"A", "Every message gets a fresh key."},
        {"B", "And the server only ever relayed ciphertext. Bye!"},
      };
      out.println("3. The conversation goes on through the server:");
      for (String[] line : script) {
        DemoDevice from = line[0].equals("A") ? alice : bob;
        DemoDevice to = from == alice ? bob : alice;
        from.send(to, line[1]);
        said.add(line[1]);
        DemoDevice.Received r = to.receive();
        out.printf(
            "   %-5s -> %-5s %4d B %s  \"%s\"%n",
            from.name(),
            to.name(),
            r.envelope().getContent().size(),
            r.preview(PREVIEW_BYTES),
            r.plaintext());
      }
      out.println();
      waitForQueueEmpty(db);
      out.println("4. What the server stores now (row counts per table):");
      for (Map.Entry<String, Long> e : StorageSnapshot.rowCounts(db).entrySet()) {
        out.printf("   %-20s %d%n", e.getKey(), e.getValue());
      }
      List<byte[]> needles = new ArrayList<>();
      for (String s : said) {
        needles.add(s.getBytes(StandardCharsets.UTF_8));
      }
      DataFolderScan.Result scan = DataFolderScan.scan(data, needles);
      out.printf(
          "   Scanned %d files (%d bytes) in %s for the %d plaintexts: %s.%n",
          scan.files(),
          scan.bytes(),
          data,
          needles.size(),
          scan.hits().isEmpty() ? "none found" : "FOUND " + scan.hits());
      out.println();
      out.println("5. Everything the server could disclose about Alice ('sotto server disclose'):");
      Disclosure.of(data, alice.accountId())
          .ifPresent(
              r ->
                  out.printf(
                      "   account %s, created %s, last seen %s, %d device(s), handle %s%n",
                      r.accountId(),
                      r.created(),
                      r.lastSeen(),
                      r.deviceCount(),
                      r.handle() == null ? "(none)" : r.handle()));
      out.printf(
          "%nRun './sotto server --data %s' to keep a server running on this data folder.%n", data);
      out.flush();
      return scan.hits().isEmpty() ? 0 : SottoMain.EXIT_UNEXPECTED;
    }
  }

  /**
   * Acks are deleted in the next group commit; wait (briefly) until the queue is empty to show it.
   */
  private static void waitForQueueEmpty(Path db) throws Exception {
    for (int i = 0; i < 50 && !StorageSnapshot.envelopes(db).isEmpty(); i++) {
      Thread.sleep(20);
    }
  }
}
