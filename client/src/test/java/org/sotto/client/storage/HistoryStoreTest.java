package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  private final SecureRandom rng = new SecureRandom();
  @TempDir Path folder;

  private static StoredMessage message(String conversation, int second, String text) {
    return new StoredMessage(
        UUID.randomUUID(),
        conversation,
        conversation,
        2,
        T0.plusSeconds(second),
        T0.plusSeconds(second + 1),
        text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void add_sameGuidTwice_storesOnceAndHasSeen() throws Exception {
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      HistoryStore history = store.history();
      StoredMessage m = message("bob", 0, "hi");
      assertFalse(history.hasSeen(m.guid()));
      assertTrue(history.add(m));
      assertTrue(history.hasSeen(m.guid()));
      StoredMessage redelivered =
          new StoredMessage(
              m.guid(), "bob", "bob", 2, m.sentAt(), T0.plusSeconds(99), "other".getBytes());
      assertFalse(history.add(redelivered), "duplicate envelope");
      assertEquals(m, history.get(m.guid()).orElseThrow(), "first copy kept");
    }
  }

  @Test
  void latest_returnsNewestPageOldestFirst_perConversation_afterReopen() throws Exception {
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      for (int i = 0; i < 5; i++) {
        store.history().add(message("bob", i, "bob " + i));
        store.history().add(message("carol", i, "carol " + i));
      }
    }
    try (LocalStore store = LocalStore.open(folder, "a", null, rng)) {
      List<StoredMessage> page = store.history().latest("bob", 3);
      assertEquals(
          List.of("bob 2", "bob 3", "bob 4"),
          page.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList());
      assertEquals(5, store.history().latest("carol", HistoryStore.MAX_PAGE).size());
      assertTrue(store.history().latest("nobody", 10).isEmpty());
      assertThrows(IllegalArgumentException.class, () -> store.history().latest("bob", 0));
    }
  }

  @Test
  void delete_removesMessage() throws Exception {
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      StoredMessage m = message("bob", 0, "x");
      store.history().add(m);
      assertTrue(store.history().delete(m.guid()));
      assertFalse(store.history().delete(m.guid()));
      assertFalse(store.history().hasSeen(m.guid()));
    }
  }

  @Test
  void bodyMovedToAnotherConversation_failsAsCorrupt() throws Exception {
    StoredMessage m = message("bob", 0, "for bob only");
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.history().add(m);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("a.db"));
        Statement st = c.createStatement()) {
      assertEquals(1, st.executeUpdate("UPDATE messages SET conversation = 'mallory'"));
    }
    try (LocalStore store = LocalStore.open(folder, "a", null, rng)) {
      assertThrows(CorruptStoreException.class, () -> store.history().get(m.guid()));
    }
  }

  @Test
  void storedMessage_toStringAndCopies_hideAndProtectBody() {
    StoredMessage m = message("bob", 0, "secret words");
    assertFalse(m.toString().contains("secret"));
    m.body()[0] = 'X';
    assertEquals("secret words", new String(m.body(), StandardCharsets.UTF_8));
  }

  @Test
  void corruptedBody_surfacesTypedError() throws Exception {
    StoredMessage m = message("bob", 0, "hello");
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.history().add(m);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("a.db"))) {
      byte[] body;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT body_enc FROM messages")) {
        assertTrue(rs.next());
        body = rs.getBytes(1);
      }
      body[body.length / 2] ^= 0x01;
      try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET body_enc = ?")) {
        ps.setBytes(1, body);
        assertEquals(1, ps.executeUpdate());
      }
    }
    try (LocalStore store = LocalStore.open(folder, "a", null, rng)) {
      StorageException e =
          assertThrows(StorageException.class, () -> store.history().latest("bob", 1));
      assertInstanceOf(CorruptStoreException.class, e);
    }
  }
}
