package org.sotto.server.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sotto.server.testing.PostgresTestDatabase;

/**
 * The queue statements that touch many envelopes at once (ack, trim, the grouped read) keep to
 * index lookups even when the planner's statistics are at their worst: a vacuum that ran while the
 * queue was nearly empty leaves it believing the table holds one row, and a backlog then grows. A
 * plan that scans the whole table per statement (or per key) turns a backlog into a collapse, as a
 * two-node bench run showed (acks slowed to 0.6 s each at 38,000 queued envelopes).
 */
class QueuePlansIntegrationTest {
  private static final int CHURNED = 3_000;
  private static final int BACKLOG = 5_000;
  private static final int DEVICES = 50;
  private static final int KEYS = 40;

  @Test
  void ackTrimAndRead_statsFromAnEmptyQueueAndABacklog_lookUpByIndexOnly() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        PostgresDatabase db = PostgresDatabase.open(database.url(), database.user(), null);
        Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), null)) {
      try (Statement s = c.createStatement()) {
        // The store's schema; autovacuum kept out of the way so the statistics stay as set here.
        s.execute("ALTER TABLE envelopes SET (autovacuum_enabled = false)");
        // Churn: pages full of rows that are gone, then a vacuum with one row left.
        s.execute(insert(CHURNED, 0));
        s.execute("DELETE FROM envelopes WHERE seq > 1");
        s.execute("VACUUM (ANALYZE, TRUNCATE false) envelopes");
        s.execute(insert(BACKLOG, CHURNED));
      }
      assertEquals(1.0, reltuples(c), 0.5, "the statistics say one row");

      List<String> accounts = new ArrayList<>();
      List<Integer> devices = new ArrayList<>();
      List<byte[]> guids = new ArrayList<>();
      List<Long> seqs = new ArrayList<>();
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT account_id, device_id, guid, seq FROM envelopes ORDER BY seq DESC LIMIT "
                      + KEYS);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          accounts.add(rs.getString(1));
          devices.add(rs.getInt(2));
          guids.add(rs.getBytes(3));
          seqs.add(rs.getLong(4));
        }
      }
      JsonNode ack;
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + GroupWriter.ACK)) {
        ps.setArray(1, c.createArrayOf("text", accounts.toArray(String[]::new)));
        ps.setArray(2, c.createArrayOf("int4", devices.toArray(Integer[]::new)));
        ps.setArray(3, c.createArrayOf("bytea", guids.toArray(byte[][]::new)));
        ack = plan(ps);
      }
      JsonNode trim;
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + EnvelopeSql.TRIM)) {
        ps.setArray(1, c.createArrayOf("text", accounts.toArray(String[]::new)));
        ps.setArray(2, c.createArrayOf("int4", devices.toArray(Integer[]::new)));
        ps.setArray(3, c.createArrayOf("int8", seqs.toArray(Long[]::new)));
        trim = plan(ps);
      }
      JsonNode read;
      try (PreparedStatement ps =
          c.prepareStatement("EXPLAIN (FORMAT JSON) " + QueueReader.FETCH_GROUP)) {
        ps.setArray(1, c.createArrayOf("text", accounts.toArray(String[]::new)));
        ps.setArray(2, c.createArrayOf("int4", devices.toArray(Integer[]::new)));
        ps.setArray(3, c.createArrayOf("int8", seqs.toArray(Long[]::new)));
        ps.setArray(
            4, c.createArrayOf("int4", devices.stream().map(d -> 50).toArray(Integer[]::new)));
        read = plan(ps);
      }
      assertIndexLookupsOnly("ack", ack);
      assertIndexLookupsOnly("read", read);
      assertIndexLookupsOnly("trim", trim);
    }
  }

  /** {@code n} envelopes over {@link #DEVICES} devices, guids numbered from {@code from}. */
  private static String insert(int n, int from) {
    return "INSERT INTO envelopes (account_id, device_id, guid, type, client_ts, server_ts,"
        + " content) SELECT 'account-' || (i % "
        + DEVICES
        + "), 1, int8send(i), 1, i, i, convert_to(repeat('x', 300), 'UTF8')"
        + " FROM generate_series("
        + (from + 1)
        + ", "
        + (from + n)
        + ") i";
  }

  private static double reltuples(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT reltuples FROM pg_class WHERE relname = 'envelopes'")) {
      rs.next();
      return rs.getDouble(1);
    }
  }

  private static JsonNode plan(PreparedStatement ps) throws Exception {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
    }
  }

  /** Every scan of {@code envelopes} in {@code plan} has an index condition. */
  private static void assertIndexLookupsOnly(String what, JsonNode plan) {
    List<String> scans = new ArrayList<>();
    collectScans(plan, scans);
    assertTrue(!scans.isEmpty(), what + ": the plan reads envelopes: " + plan);
    for (String scan : scans) {
      assertTrue(
          scan.endsWith("with Index Cond"),
          what + ": " + scan + " reads envelopes without an index condition: " + plan);
    }
  }

  private static void collectScans(JsonNode node, List<String> scans) {
    String type = node.path("Node Type").asText();
    if ("envelopes".equals(node.path("Relation Name").asText())
        && !type.equals("ModifyTable")
        && !type.equals("Bitmap Heap Scan")) {
      scans.add(type + (node.has("Index Cond") ? " with Index Cond" : " without Index Cond"));
    }
    if (type.equals("Bitmap Index Scan")
        && node.path("Index Name").asText().startsWith("envelopes")) {
      scans.add(type + (node.has("Index Cond") ? " with Index Cond" : " without Index Cond"));
    }
    for (JsonNode child : node.path("Plans")) {
      collectScans(child, scans);
    }
  }
}
