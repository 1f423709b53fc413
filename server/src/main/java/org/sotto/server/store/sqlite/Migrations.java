package org.sotto.server.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations for the SQLite store. Migration {@code n} is the resource {@code
 * V<n>.sql} next to this class; the applied version is SQLite's {@code user_version}. Each
 * migration runs in its own transaction together with the version bump, so a crash leaves either
 * the old or the new schema. Never edit a released migration: add the next one.
 */
public final class Migrations {
  /** Every migration, in order; the last one is the current schema version. */
  static final List<Integer> VERSIONS = List.of(1, 2);

  private Migrations() {}

  /** The schema version this build writes. */
  public static int latest() {
    return VERSIONS.get(VERSIONS.size() - 1);
  }

  /**
   * Applies every migration newer than the database's version; refuses a database from a newer
   * build.
   */
  static void apply(Connection connection) throws SQLException {
    int current = version(connection);
    if (current > latest()) {
      throw new SQLException(
          "database schema version " + current + " is newer than this server (" + latest() + ")");
    }
    for (int v : VERSIONS) {
      if (v <= current) {
        continue;
      }
      try (Statement st = connection.createStatement()) {
        for (String sql : statements(v)) {
          st.execute(sql);
        }
        st.execute("PRAGMA user_version = " + v);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  static int version(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static List<String> statements(int version) {
    String name = "V" + version + ".sql";
    try (InputStream in = Migrations.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      StringBuilder sql = new StringBuilder();
      for (String line : text.split("\n")) {
        if (!line.strip().startsWith("--")) {
          sql.append(line).append('\n');
        }
      }
      return java.util.Arrays.stream(sql.toString().split(";"))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + name, e);
    }
  }
}
