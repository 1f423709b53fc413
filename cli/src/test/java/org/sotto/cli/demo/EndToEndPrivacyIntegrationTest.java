package org.sotto.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.protocol.ratchet.MessageKeys;
import org.sotto.protocol.state.SessionState;

/**
 * The server stores ciphertext only: after a conversation through a real server process (messages
 * both ways, an attachment), nothing in the data folder (database, WAL, keys, attachments) or in
 * the server's log output contains a plaintext, a message key, a chain or root key, an identity
 * private key or a device secret — checked while the server runs (WAL) and again after it stopped.
 */
class EndToEndPrivacyIntegrationTest {
  /** Messages per direction: enough to cross several ratchet steps. */
  static final int ROUNDS = 6;

  @TempDir Path tmp;

  private final SecureRandom rng = new SecureRandom();
  private final List<byte[]> secrets = new ArrayList<>();

  private void keep(byte[] secret) {
    secrets.add(secret.clone());
  }

  /**
   * Records the keys that will protect the next message from {@code from} to {@code to}, then
   * sends.
   */
  private void sendAndRecord(DemoDevice from, DemoDevice to, String text) throws Exception {
    from.startSession(to);
    SessionState s = from.store().loadSession(DemoDevice.address(to)).currentState();
    MessageKeys keys = s.senderChainKey().messageKeys();
    keep(keys.cipherKey());
    keep(keys.macKey());
    keep(s.senderChainKey().key());
    keep(s.rootKey().key());
    keep(text.getBytes(StandardCharsets.UTF_8));
    from.send(to, text);
  }

  @Test
  void conversation_throughRealServer_leavesNoPlaintextOrKeyInDataFolderOrLogs() throws Exception {
    Path data = tmp.resolve("data");
    Path log = tmp.resolve("server.log");
    try (ServerProcess server = ServerProcess.start(data, log);
        HttpClient http = HttpClient.newHttpClient();
        DemoDevice alice = new DemoDevice("Alice", server.uri(), http, rng);
        DemoDevice bob = new DemoDevice("Bob", server.uri(), http, rng)) {
      alice.register("alice_privacy");
      bob.register(null);
      for (DemoDevice d : List.of(alice, bob)) {
        keep(d.store().getIdentityKeyPair().privateKey().serialize());
        keep(d.secret().getBytes(StandardCharsets.UTF_8));
      }
      bob.connect();
      alice.connect();
      for (int i = 0; i < ROUNDS; i++) {
        String a = "plaintext from Alice number " + i + " " + Long.toHexString(rng.nextLong());
        sendAndRecord(alice, bob, a);
        assertEquals(a, bob.receive().plaintext());
        String b = "plaintext from Bob number " + i + " " + Long.toHexString(rng.nextLong());
        sendAndRecord(bob, alice, b);
        assertEquals(b, alice.receive().plaintext());
      }
      // One message stays queued (unread), so its ciphertext is on disk during the scan.
      sendAndRecord(alice, bob, "still queued for Bob " + Long.toHexString(rng.nextLong()));
      uploadEncryptedAttachment(server.uri(), alice, http);

      assertNothingFound(data, log, "while the server runs");
      // The JVM reports 128 + SIGTERM after its shutdown hooks (the graceful stop) have run.
      assertEquals(143, server.terminate(), "exit code after SIGTERM");
      assertTrue(Files.readString(log).contains("shutting down"), "graceful shutdown logged");
      assertNothingFound(data, log, "after the server stopped");
    }
    assertTrue(Files.size(log) > 0, "the server wrote log output that was scanned");
  }

  /**
   * Encrypts an attachment client-side (AES-GCM), uploads the ciphertext; the key and plaintext
   * never leave.
   */
  private void uploadEncryptedAttachment(URI server, DemoDevice owner, HttpClient http)
      throws Exception {
    byte[] plaintext =
        ("attachment plaintext " + Long.toHexString(rng.nextLong()))
            .repeat(20)
            .getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[32];
    byte[] iv = new byte[12];
    rng.nextBytes(key);
    rng.nextBytes(iv);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    byte[] ciphertext = gcm.doFinal(plaintext);
    keep(key);
    keep(plaintext);
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(server.resolve("/v1/attachments"))
                .header("Authorization", owner.basicAuth())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"length\":" + ciphertext.length + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, created.statusCode(), created.body());
    String id = created.body().replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    HttpResponse<String> uploaded =
        http.send(
            HttpRequest.newBuilder(server.resolve("/v1/attachments/" + id))
                .header("Authorization", owner.basicAuth())
                .header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(ciphertext))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(204, uploaded.statusCode(), uploaded.body());
  }

  private void assertNothingFound(Path data, Path log, String when) throws Exception {
    DataFolderScan.Result inData = DataFolderScan.scan(data, secrets);
    assertTrue(inData.files() >= 3, "scanned files: " + inData.files());
    assertTrue(inData.hits().isEmpty(), when + ": found in the data folder: " + inData.hits());
    byte[] logBytes = Files.readAllBytes(log);
    for (int i = 0; i < secrets.size(); i++) {
      assertEquals(
          -1,
          DataFolderScan.indexOf(logBytes, secrets.get(i)),
          when + ": secret " + i + " in the log");
    }
  }
}
