package org.sotto.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sotto.api.Address;
import org.sotto.server.store.QueuedEnvelope;

/**
 * Group reads of delivery queues on PostgreSQL: a few reader threads each take every queue read
 * waiting (up to {@link #MAX_GROUP}) and answer them with one statement, so the pushes to hundreds
 * of connected devices share one round trip instead of one each. A read alone uses the plain
 * statement. Results are exactly what each read alone would return. Thread-safe.
 */
final class QueueReader implements AutoCloseable {
  /** Most reads answered by one statement: bounds its result and the wait of the reads behind. */
  static final int MAX_GROUP = 256;

  /**
   * Reader threads: while one waits for PostgreSQL, the next group is being collected; two keep the
   * waits short without holding many pool connections.
   */
  static final int READERS = 2;

  /** Reads waiting beyond this make callers wait (back-pressure) instead of growing memory. */
  static final int MAX_PENDING = 16_384;

  static final String COLUMNS =
      "seq, guid, type, source_account, source_device, client_ts, server_ts, content";

  static final String FETCH =
      "SELECT "
          + COLUMNS
          + " FROM envelopes WHERE account_id = ? AND device_id = ? AND seq > ? ORDER BY seq LIMIT ?";

  /** Every read of a group: q.i is the read's position in the group. */
  static final String FETCH_GROUP =
      """
      SELECT q.i, e.seq, e.guid, e.type, e.source_account, e.source_device, e.client_ts,
             e.server_ts, e.content
      FROM unnest(?::text[], ?::int[], ?::bigint[], ?::int[]) WITH ORDINALITY AS q(a, d, s, l, i)
      CROSS JOIN LATERAL (
        SELECT %s FROM envelopes
        WHERE account_id = q.a AND device_id = q.d AND seq > q.s ORDER BY seq LIMIT q.l) e
      ORDER BY q.i, e.seq
      """
          .formatted(COLUMNS);

  private record Read(
      Address device, long afterSeq, int limit, CompletableFuture<List<QueuedEnvelope>> result)
      implements Grouper.Op {}

  private final PostgresDatabase db;
  private final Grouper<Read> grouper;

  QueueReader(PostgresDatabase db) {
    this.db = db;
    this.grouper = new Grouper<>("postgres-reader", READERS, MAX_GROUP, MAX_PENDING, this::answer);
  }

  /** Up to {@code limit} envelopes queued for {@code device} after {@code afterSeq}, in order. */
  CompletableFuture<List<QueuedEnvelope>> fetch(Address device, long afterSeq, int limit) {
    CompletableFuture<List<QueuedEnvelope>> result = new CompletableFuture<>();
    grouper.submit(new Read(device, afterSeq, limit, result));
    return result;
  }

  private void answer(List<Read> group) {
    List<List<QueuedEnvelope>> pages = db.autoCommit(c -> read(c, group));
    for (int i = 0; i < group.size(); i++) {
      group.get(i).result().complete(pages.get(i));
    }
  }

  private static List<List<QueuedEnvelope>> read(Connection c, List<Read> group)
      throws SQLException {
    List<List<QueuedEnvelope>> pages = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      pages.add(new ArrayList<>());
    }
    if (group.size() == 1) {
      Read r = group.get(0);
      try (PreparedStatement ps = c.prepareStatement(FETCH)) {
        ps.setString(1, r.device().account().toString());
        ps.setInt(2, r.device().device().value());
        ps.setLong(3, r.afterSeq());
        ps.setInt(4, r.limit());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            pages.get(0).add(EnvelopeSql.queued(r.device(), rs, 1));
          }
        }
      }
      return pages;
    }
    int n = group.size();
    String[] accounts = new String[n];
    Integer[] devices = new Integer[n];
    Long[] after = new Long[n];
    Integer[] limits = new Integer[n];
    for (int i = 0; i < n; i++) {
      Read r = group.get(i);
      accounts[i] = r.device().account().toString();
      devices[i] = r.device().device().value();
      after[i] = r.afterSeq();
      limits[i] = r.limit();
    }
    try (PreparedStatement ps = c.prepareStatement(FETCH_GROUP)) {
      ps.setArray(1, c.createArrayOf("text", accounts));
      ps.setArray(2, c.createArrayOf("int4", devices));
      ps.setArray(3, c.createArrayOf("int8", after));
      ps.setArray(4, c.createArrayOf("int4", limits));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int i = (int) rs.getLong(1) - 1;
          pages.get(i).add(EnvelopeSql.queued(group.get(i).device(), rs, 2));
        }
      }
    }
    return pages;
  }

  /** Answers the reads waiting, then stops the readers; later reads fail. */
  @Override
  public void close() {
    grouper.close();
  }
}
