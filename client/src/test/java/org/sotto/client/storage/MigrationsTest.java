package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
  @TempDir Path dir;

  private Connection connect() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("m.db"));
    c.setAutoCommit(false);
    return c;
  }

  private static void applyVersion1Only(Connection c) throws Exception {
    String text;
    try (InputStream in = Migrations.class.getResourceAsStream("V1.sql")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    try (Statement st = c.createStatement()) {
      for (String s : sql.toString().split(";")) {
        if (!s.isBlank()) {
          st.execute(s);
        }
      }
      st.execute("PRAGMA user_version = 1");
    }
    c.commit();
  }

  @Test
  void apply_onVersion1Store_addsLaterVersionsAndKeepsMessages() throws Exception {
    try (Connection c = connect()) {
      applyVersion1Only(c);
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO messages VALUES ('g1', 'conv', 'sender', 1, 5, 6, x'00')");
      }
      c.commit();

      Migrations.apply(c);

      assertEquals(Migrations.latest(), Migrations.version(c));
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT guid, expires_at FROM messages")) {
        assertTrue(rs.next());
        assertEquals("g1", rs.getString(1));
        rs.getLong(2);
        assertTrue(rs.wasNull(), "old messages never expire");
      }
      for (String table :
          new String[] {"message_attachments", "message_status", "seen_envelopes"}) {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
          assertTrue(rs.next());
          assertEquals(0, rs.getInt(1), table);
        }
      }
    }
  }

  @Test
  void apply_onNewerStore_throws() throws Exception {
    try (Connection c = connect()) {
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA user_version = " + (Migrations.latest() + 1));
      }
      c.commit();
      assertThrows(StorageException.class, () -> Migrations.apply(c));
    }
  }
}
