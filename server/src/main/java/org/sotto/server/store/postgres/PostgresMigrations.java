package org.sotto.server.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.sotto.server.store.StoreException;

/**
 * Versioned schema migrations for the PostgreSQL store. Migration {@code n} is the resource {@code
 * V<n>.sql} next to this class; the {@code schema_version} table lists the applied ones. Migrations
 * run under a session advisory lock, so when several nodes start at once one migrates and the
 * others wait and then find nothing to do; each migration commits together with its version row.
 * Never edit a released migration: add the next one.
 */
public final class PostgresMigrations {
  /** Every migration, in order; the last one is the current schema version. */
  static final List<Integer> VERSIONS = List.of(1, 2, 3, 4);

  /**
   * The advisory-lock key that serializes migrations across nodes ("SottoMig" in ASCII): any fixed
   * number works as long as nothing else in the database uses it.
   */
  static final long MIGRATION_LOCK = 0x536f74746f4d6967L;

  private PostgresMigrations() {}

  /** The schema version this build writes. */
  public static int latest() {
    return VERSIONS.get(VERSIONS.size() - 1);
  }

  /**
   * Applies every migration newer than the database's version and returns how many it applied;
   * refuses a database from a newer build. Leaves {@code connection} in auto-commit mode.
   */
  static int apply(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    try (Statement st = connection.createStatement()) {
      st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      try {
        st.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_version (
              version    INTEGER PRIMARY KEY,
              applied_ms BIGINT NOT NULL
            )
            """);
        int current = version(connection);
        if (current > latest()) {
          throw new StoreException(
              "the PostgreSQL schema version "
                  + current
                  + " is newer than this server ("
                  + latest()
                  + ")",
              null);
        }
        int applied = 0;
        for (int v : VERSIONS) {
          if (v <= current) {
            continue;
          }
          connection.setAutoCommit(false);
          try {
            for (String sql : statements(v)) {
              st.execute(sql);
            }
            try (PreparedStatement ps =
                connection.prepareStatement(
                    "INSERT INTO schema_version (version, applied_ms) VALUES (?, ?)")) {
              ps.setInt(1, v);
              ps.setLong(2, System.currentTimeMillis());
              ps.executeUpdate();
            }
            connection.commit();
            applied++;
          } catch (SQLException | RuntimeException e) {
            PostgresDatabase.rollbackQuietly(connection);
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
        }
        return applied;
      } finally {
        st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    }
  }

  /** The highest applied migration, 0 for an empty database. */
  static int version(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static List<String> statements(int version) {
    String name = "V" + version + ".sql";
    try (InputStream in = PostgresMigrations.class.getResourceAsStream(name)) {
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
      return Arrays.stream(sql.toString().split(";"))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + name, e);
    }
  }
}
