package org.sotto.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.api.dto.AttachmentCreateRequest;
import org.sotto.server.attachments.AttachmentIds;
import org.sotto.server.certs.ServerKeys;
import org.sotto.server.store.sqlite.SqliteDatabase;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

class DisclosureIntegrationTest {
  static TestServer server;
  static TestClient client;
  static TestDevice alice;
  static TestDevice bob;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    client = server.client();
    alice = client.register("Alice.Disc");
    bob = client.register(null);
    // A second device for alice, linked with a provisioning code.
    client.link(alice);
    // Everything else the server can hold: a profile-less attachment, a certificate, invites.
    String id =
        client
            .call("POST", "/v1/attachments", new AttachmentCreateRequest(4), alice)
            .json()
            .get("id")
            .asText();
    client.raw(
        "PATCH",
        "/v1/attachments/" + id,
        new byte[] {1, 2, 3, 4},
        Map.of("Authorization", alice.basicAuth(), "Upload-Offset", "0"));
    assertEquals(200, client.call("GET", "/v1/certificate/delivery", null, bob).status());
    Invites.issue(server.dataDir(), 2);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void of_uuidOrHandleAnyCase_reportsTheFiveFacts() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Disclosure.Report byId =
        Disclosure.of(server.dataDir(), alice.account().toString()).orElseThrow();
    assertEquals(new Disclosure.Report(alice.account(), today, today, 2, "alice.disc"), byId);
    assertEquals(byId, Disclosure.of(server.dataDir(), "ALICE.disc").orElseThrow());
    Disclosure.Report plain =
        Disclosure.of(server.dataDir(), bob.account().toString()).orElseThrow();
    assertEquals(1, plain.deviceCount());
    assertNull(plain.handle());
  }

  @Test
  void of_reportEqualsWhatTheDisclosedColumnsHold() {
    Disclosure.Report r = Disclosure.of(server.dataDir(), "alice.disc").orElseThrow();
    try (SqliteDatabase db = SqliteDatabase.open(server.dataDir())) {
      db.read(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT id, handle, created_day, last_seen_day FROM accounts WHERE id = ?")) {
              ps.setString(1, alice.account().toString());
              try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(r.accountId(), AccountId.parse(rs.getString("id")));
                assertEquals(r.handle(), rs.getString("handle"));
                assertEquals(r.created().toEpochDay(), rs.getLong("created_day"));
                assertEquals(r.lastSeen().toEpochDay(), rs.getLong("last_seen_day"));
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT count(DISTINCT device_id) FROM devices WHERE account_id = ?")) {
              ps.setString(1, alice.account().toString());
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(r.deviceCount(), rs.getInt(1));
              }
            }
            return null;
          });
    }
  }

  @Test
  void of_unknownAccount_empty() {
    assertTrue(Disclosure.of(server.dataDir(), AccountId.random().toString()).isEmpty());
    assertTrue(Disclosure.of(server.dataDir(), "nobody_here").isEmpty());
  }

  @Test
  void of_neitherUuidNorHandle_refused() {
    assertThrows(IllegalArgumentException.class, () -> Disclosure.of(server.dataDir(), "../x"));
    assertThrows(IllegalArgumentException.class, () -> Disclosure.of(server.dataDir(), "ab"));
  }

  @Test
  void of_folderWithoutDatabase_refusedAndNothingCreated() throws Exception {
    Path empty = Files.createTempDirectory("sotto-empty");
    try {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Disclosure.of(empty, alice.account().toString()));
      assertTrue(e.getMessage().contains("no Sotto database"));
      try (Stream<Path> list = Files.list(empty)) {
        assertEquals(0, list.count());
      }
    } finally {
      TestServer.deleteTree(empty);
    }
  }

  @Test
  void dataFolder_holdsOnlyDatabaseKeysAndAttachments() throws Exception {
    Path data = server.dataDir();
    Set<String> topLevel = Set.of("sotto.db", "sotto.db-wal", "sotto.db-shm");
    Set<String> keyFiles =
        Set.of(
            ServerKeys.TRUST_ROOT_FILE,
            ServerKeys.SERVER_KEY_FILE,
            ServerKeys.SERVER_CERTIFICATE_FILE);
    List<Path> all;
    try (Stream<Path> walk = Files.walk(data)) {
      all = walk.filter(p -> !p.equals(data)).toList();
    }
    boolean sawAttachment = false;
    for (Path p : all) {
      Path rel = data.relativize(p);
      String first = rel.getName(0).toString();
      boolean ok;
      if (rel.getNameCount() == 1) {
        ok =
            topLevel.contains(first)
                || (Files.isDirectory(p)
                    && (first.equals(ServerKeys.DIRECTORY) || first.equals("attachments")));
      } else if (rel.getNameCount() == 2 && first.equals(ServerKeys.DIRECTORY)) {
        ok = keyFiles.contains(rel.getFileName().toString());
      } else if (rel.getNameCount() == 2 && first.equals("attachments")) {
        ok = AttachmentIds.valid(rel.getFileName().toString());
        sawAttachment = true;
      } else {
        ok = false;
      }
      assertTrue(ok, "unexpected file in the data folder: " + rel);
    }
    assertTrue(sawAttachment, "the scenario stored an attachment");
    assertTrue(Files.exists(data.resolve("sotto.db")));
    assertFalse(all.isEmpty());
  }
}
