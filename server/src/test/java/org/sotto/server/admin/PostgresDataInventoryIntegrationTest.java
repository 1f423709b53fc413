package org.sotto.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sotto.server.store.postgres.PostgresDatabase;
import org.sotto.server.testing.PostgresTestDatabase;

/**
 * The PostgreSQL schema stores the same columns as SQLite's (so {@link DataInventory} classifies
 * both), plus only the bookkeeping below, none of which describes a person.
 */
class PostgresDataInventoryIntegrationTest {
  /** Columns only the PostgreSQL schema has, with why they exist. */
  static final Map<String, DataInventory.Category> POSTGRES_ONLY =
      Map.of(
          // Which migrations ran (PostgreSQL has no user_version).
          "schema_version.version", DataInventory.Category.INTERNAL,
          "schema_version.applied_ms", DataInventory.Category.INTERNAL,
          // The cluster-wide dropped-envelope counter a single SQLite server keeps in memory.
          "store_counters.name", DataInventory.Category.INTERNAL,
          "store_counters.value", DataInventory.Category.INTERNAL,
          // The sealed-sender keys that SQLite servers keep as files under keys/.
          "server_keys.id", DataInventory.Category.INTERNAL,
          "server_keys.trust_root", DataInventory.Category.INTERNAL,
          "server_keys.server_key", DataInventory.Category.INTERNAL,
          "server_keys.certificate", DataInventory.Category.INTERNAL);

  @Test
  void postgresSchema_hasExactlyTheInventoriedColumnsPlusBookkeeping() {
    Set<String> live;
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        PostgresDatabase db = PostgresDatabase.open(database.url(), database.user(), null)) {
      live =
          db.autoCommit(
              c -> {
                Set<String> columns = new TreeSet<>();
                try (PreparedStatement ps =
                        c.prepareStatement(
                            """
                            SELECT table_name, column_name FROM information_schema.columns
                            WHERE table_schema = 'public'
                            """);
                    ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    columns.add(rs.getString(1) + "." + rs.getString(2));
                  }
                }
                return columns;
              });
    }
    Set<String> expected = new TreeSet<>(DataInventory.columns().keySet());
    expected.removeIf(c -> c.startsWith("sqlite_sequence."));
    expected.addAll(POSTGRES_ONLY.keySet());
    assertEquals(expected, live);
  }
}
