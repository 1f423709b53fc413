package org.sotto.server.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.sotto.api.Address;
import org.sotto.server.store.MessageStore;
import org.sotto.server.store.QueuedEnvelope;
import org.sotto.server.store.StoreException;
import org.sotto.server.store.sqlite.SqliteDatabase;

/**
 * {@link MessageStore} on PostgreSQL, shared by every node. Inserts and acks go through a {@link
 * GroupWriter} (group commit), queue reads through a {@link QueueReader} (grouped reads); the
 * dropped counters live in the database ({@code devices.dropped}, {@code store_counters}), so
 * {@link #takeDropped} and {@link #droppedTotal} agree across nodes. {@link #depth} and {@link
 * #droppedTotal} are cluster-wide values read when asked (metrics scrapes); while PostgreSQL is
 * unreachable they return the last value read, since a metrics scrape must not fail. Thread-safe.
 */
public final class PostgresMessageStore implements MessageStore, AutoCloseable {
  /**
   * Expiry deletes at most this many envelopes per transaction, so a large backlog of old envelopes
   * does not hold row locks (and the sends waiting on them) for seconds.
   */
  static final int EXPIRE_BATCH = 5_000;

  private static final String TAKE_DROPPED =
      """
      UPDATE devices d SET dropped = 0
      FROM (SELECT account_id, device_id, dropped FROM devices
            WHERE account_id = ? AND device_id = ? AND dropped > 0 FOR UPDATE) old
      WHERE d.account_id = old.account_id AND d.device_id = old.device_id
      RETURNING old.dropped
      """;

  /** Old envelopes no other node is expiring right now (SKIP LOCKED), oldest first. */
  private static final String EXPIRE =
      """
      WITH gone AS (
        DELETE FROM envelopes WHERE seq IN (
          SELECT seq FROM envelopes WHERE server_ts < ? ORDER BY server_ts LIMIT ?
          FOR UPDATE SKIP LOCKED)
        RETURNING account_id, device_id)
      SELECT account_id, device_id, count(*) FROM gone GROUP BY account_id, device_id
      """;

  private final PostgresDatabase db;
  private final GroupWriter writer;
  private final QueueReader reader;
  private final QueueVacuum vacuum;
  private final AtomicLong lastDepth = new AtomicLong();
  private final AtomicLong lastDropped = new AtomicLong();

  /** A store over {@code db}; starts its group-commit writers. */
  public PostgresMessageStore(PostgresDatabase db) {
    this.db = db;
    this.writer = new GroupWriter(db);
    this.reader = new QueueReader(db);
    this.vacuum = new QueueVacuum(db);
  }

  @Override
  public CompletableFuture<List<QueuedEnvelope>> insert(List<Outgoing> envelopes, int maxQueue) {
    if (maxQueue < 1) {
      throw new IllegalArgumentException("maxQueue must be positive");
    }
    List<Outgoing> batch = List.copyOf(envelopes);
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return writer.insert(batch, maxQueue);
  }

  @Override
  public List<QueuedEnvelope> fetch(Address device, long afterSeq, int limit) {
    if (limit < 1) {
      return List.of();
    }
    return SqliteDatabase.join(reader.fetch(device, afterSeq, limit));
  }

  @Override
  public CompletableFuture<List<Long>> delete(Address device, List<byte[]> guids) {
    if (guids.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return writer.delete(device, List.copyOf(guids));
  }

  @Override
  public long takeDropped(Address device) {
    return db.autoCommit(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(TAKE_DROPPED)) {
            ps.setString(1, device.account().toString());
            ps.setInt(2, device.device().value());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  @Override
  public int expire(long cutoffMs) {
    int total = 0;
    while (true) {
      int deleted =
          db.transaction(
              c -> {
                Map<Address, Long> perDevice = new TreeMap<>(EnvelopeSql.ADDRESS_ORDER);
                try (PreparedStatement ps = c.prepareStatement(EXPIRE)) {
                  ps.setLong(1, cutoffMs);
                  ps.setInt(2, EXPIRE_BATCH);
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      perDevice.put(
                          EnvelopeSql.address(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                    }
                  }
                }
                EnvelopeSql.addDropped(c, perDevice);
                return (int) perDevice.values().stream().mapToLong(Long::longValue).sum();
              });
      total += deleted;
      if (deleted < EXPIRE_BATCH) {
        return total;
      }
    }
  }

  /**
   * Envelopes dropped (queue full or too old) since the database was created, by every node: the
   * counter lives in the database so that all nodes agree.
   */
  @Override
  public long droppedTotal() {
    return readCounter("SELECT value FROM store_counters WHERE name = 'dropped'", lastDropped);
  }

  /** Envelopes queued for all devices of the cluster. */
  @Override
  public long depth() {
    return readCounter("SELECT count(*) FROM envelopes", lastDepth);
  }

  private long readCounter(String sql, AtomicLong last) {
    try {
      long value =
          db.autoCommit(
              c -> {
                try (PreparedStatement ps = c.prepareStatement(sql);
                    ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? rs.getLong(1) : 0L;
                }
              });
      last.set(value);
      return value;
    } catch (StoreException e) {
      // Metrics keep the last value while PostgreSQL is away; requests report the outage.
      return last.get();
    }
  }

  /** Group transactions committed so far (tests compare it with the number of writes). */
  public long commits() {
    return writer.commits();
  }

  /**
   * Vacuums the queue table now if it holds at least {@code deadRows} dead rows (tests; the store
   * does this by itself every few seconds, see {@link QueueVacuum}); true if it did.
   */
  public boolean vacuumIfOver(long deadRows) {
    return vacuum.vacuumIfOver(deadRows);
  }

  /** Finishes queued inserts and acks, then stops the writers, queue readers and vacuum checks. */
  @Override
  public void close() {
    vacuum.close();
    writer.close();
    reader.close();
  }
}
