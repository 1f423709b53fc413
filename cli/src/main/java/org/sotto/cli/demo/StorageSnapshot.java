package org.sotto.cli.demo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * A read-only look into a server's SQLite file for the demo: row counts per table and the queued
 * envelopes as the server holds them (type, size, first bytes). Opens its own read-only connection
 * beside the running server (WAL allows it). Stateless.
 */
public final class StorageSnapshot {
  /** One queued envelope as stored. */
  public record StoredEnvelope(int type, boolean hasSender, byte[] content) {}

  private StorageSnapshot() {}

  /** Row counts of every table, in schema order. */
  public static Map<String, Long> rowCounts(Path databaseFile) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = open(databaseFile);
        Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                  + " ORDER BY rowid")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs =
            st.executeQuery("SELECT count(*) FROM \"" + t.replace("\"", "") + "\"")) {
          rs.next();
          out.put(t, rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** Every queued envelope, oldest first. */
  public static List<StoredEnvelope> envelopes(Path databaseFile) throws SQLException {
    List<StoredEnvelope> out = new ArrayList<>();
    try (Connection c = open(databaseFile);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT type, source_account, content FROM envelopes ORDER BY seq")) {
      while (rs.next()) {
        String source = rs.getString(2);
        out.add(
            new StoredEnvelope(rs.getInt(1), source != null && !source.isEmpty(), rs.getBytes(3)));
      }
    }
    return out;
  }

  private static Connection open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5_000);
    return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
  }
}
