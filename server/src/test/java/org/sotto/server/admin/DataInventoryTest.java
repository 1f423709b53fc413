package org.sotto.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.server.store.sqlite.SqliteDatabase;

class DataInventoryTest {
  /**
   * Where each disclosed column shows up in the disclosure report. Both sides are fixed here, so a
   * new person-describing column, or a report without one of them, fails below.
   */
  static final Map<String, String> DISCLOSED_AS =
      Map.of(
          "accounts.id", "accountId",
          "accounts.handle", "handle",
          "accounts.created_day", "created",
          "accounts.last_seen_day", "lastSeen",
          "devices.account_id", "deviceCount",
          "devices.device_id", "deviceCount");

  @TempDir Path dir;

  /** Every {@code table.column} of the schema a fresh server creates, after all migrations. */
  static Set<String> liveColumns(Path dataDir) {
    try (SqliteDatabase db = SqliteDatabase.open(dataDir)) {
      return db.read(
          c -> {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'table'");
                ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                tables.add(rs.getString(1));
              }
            }
            Set<String> columns = new TreeSet<>();
            for (String t : tables) {
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT name FROM pragma_table_info(?)"); ) {
                ps.setString(1, t);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    columns.add(t + "." + rs.getString(1));
                  }
                }
              }
            }
            return columns;
          });
    }
  }

  @Test
  void inventory_classifiesEveryLiveColumnAndNoMissingOne() {
    Set<String> live = liveColumns(dir);
    Set<String> classified = new TreeSet<>(DataInventory.columns().keySet());
    Set<String> unclassified = new TreeSet<>(live);
    unclassified.removeAll(classified);
    Set<String> stale = new TreeSet<>(classified);
    stale.removeAll(live);
    assertEquals(Set.of(), unclassified, "columns stored but not classified in DataInventory");
    assertEquals(Set.of(), stale, "columns classified in DataInventory but no longer stored");
  }

  @Test
  void personFacts_areExactlyWhatDisclosureShows() {
    Set<String> personFacts =
        DataInventory.columns().entrySet().stream()
            .filter(e -> e.getValue().personFact())
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(DISCLOSED_AS.keySet()), personFacts);
    Set<String> reportFields =
        Arrays.stream(Disclosure.Report.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(DISCLOSED_AS.values()), reportFields);
  }

  @Test
  void categories_onlyDisclosedDescribesPeople() {
    for (DataInventory.Category c : DataInventory.Category.values()) {
      assertEquals(c == DataInventory.Category.DISCLOSED, c.personFact(), c.name());
    }
  }
}
