package org.sotto.server.store.postgres;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.sotto.api.Address;
import org.sotto.server.store.MessageStore.Outgoing;
import org.sotto.server.store.QueuedEnvelope;
import org.sotto.server.store.StoreException;

/**
 * Group commit for envelope inserts and acks on PostgreSQL: a few writer threads each take every
 * operation waiting (up to {@link #MAX_GROUP}), run them as a handful of array statements in one
 * transaction and commit once, so hundreds of concurrent sends share one round trip and one WAL
 * flush. When a group fails on a constraint (a duplicate guid) it is rolled back and each operation
 * runs again alone, so one bad send never fails the others; a send whose destination device is gone
 * fails alone without a rollback.
 *
 * <p>Queue order: a group locks the destination devices' rows ({@code FOR NO KEY UPDATE}, in key
 * order so groups never deadlock each other) before taking sequence numbers, so inside one device's
 * queue {@code seq} order is commit order, on every node, and a reader paging by {@code seq} never
 * skips an envelope that commits later. Thread-safe.
 */
final class GroupWriter implements AutoCloseable {
  /**
   * Most operations per group transaction: bounds the latency one group adds for the operations
   * behind it and the size of its array parameters, while sharing one commit among hundreds of
   * concurrent sends.
   */
  static final int MAX_GROUP = 512;

  /**
   * Group transactions in flight per node: while one waits for its commit to be flushed, the next
   * group is already being built, which PostgreSQL then flushes together (its own group commit).
   * Two, not more: each group costs PostgreSQL a few round trips whatever its size, and with four
   * the groups were half as big for the same throughput in {@code bench/run cluster}.
   */
  static final int WRITERS = 2;

  /**
   * Operations waiting beyond this make callers wait (back-pressure) instead of growing memory
   * without bound under overload.
   */
  static final int MAX_PENDING = 16_384;

  /**
   * Deletes acked envelopes. Each key is looked up on its own (a correlated subquery on the unique
   * guid), then the rows go by primary key: no join the planner could turn into a scan of the whole
   * queue. After a vacuum of a nearly empty queue its statistics say "one row", and a join then
   * scanned every queued envelope for every statement, so a backlog made acks slower and grew
   * itself ({@code QueuePlansIntegrationTest}).
   */
  static final String ACK =
      """
      DELETE FROM envelopes WHERE seq = ANY (ARRAY(
        SELECT (SELECT e.seq FROM envelopes e
                WHERE e.guid = k.g AND e.account_id = k.a AND e.device_id = k.d)
        FROM unnest(?::text[], ?::int[], ?::bytea[]) AS k(a, d, g)))
      RETURNING guid, server_ts
      """;

  /** One queued operation. */
  private sealed interface Op extends Grouper.Op permits InsertOp, DeleteOp {}

  private record InsertOp(
      List<Outgoing> batch, int maxQueue, CompletableFuture<List<QueuedEnvelope>> result)
      implements Op {}

  private record DeleteOp(Address device, List<byte[]> guids, CompletableFuture<List<Long>> result)
      implements Op {}

  private final PostgresDatabase db;
  private final AtomicLong commits = new AtomicLong();
  private final Grouper<Op> grouper;

  GroupWriter(PostgresDatabase db) {
    this.db = db;
    this.grouper =
        new Grouper<>("postgres-writer", WRITERS, MAX_GROUP, MAX_PENDING, g -> run(g, 1));
  }

  CompletableFuture<List<QueuedEnvelope>> insert(List<Outgoing> batch, int maxQueue) {
    CompletableFuture<List<QueuedEnvelope>> result = new CompletableFuture<>();
    grouper.submit(new InsertOp(batch, maxQueue, result));
    return result;
  }

  CompletableFuture<List<Long>> delete(Address device, List<byte[]> guids) {
    CompletableFuture<List<Long>> result = new CompletableFuture<>();
    grouper.submit(new DeleteOp(device, guids, result));
    return result;
  }

  /** Group transactions committed so far. */
  long commits() {
    return commits.get();
  }

  private void run(List<Op> group, int attempt) {
    Outcomes outcomes;
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        outcomes = apply(c, group);
        c.commit();
        commits.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        PostgresDatabase.rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      if (PostgresDatabase.isConnectionFailure(e)) {
        Grouper.failAll(group, db.failure("write", e));
      } else if (group.size() > 1) {
        // One operation spoilt the group (a duplicate guid, a deadlock): each runs alone.
        for (Op op : group) {
          run(List.of(op), 1);
        }
      } else if (PostgresDatabase.isRetryable(e) && attempt < PostgresDatabase.MAX_RETRIES) {
        run(group, attempt + 1);
      } else {
        Grouper.failAll(group, db.failure("write", e));
      }
      return;
    }
    outcomes.complete();
  }

  /** What each operation of a group yields, handed out only after the commit. */
  private static final class Outcomes {
    private final Map<Op, Object> values = new HashMap<>();
    private final Map<Op, Throwable> failures = new HashMap<>();

    @SuppressWarnings("unchecked")
    void complete() {
      values.forEach((op, v) -> ((CompletableFuture<Object>) op.result()).complete(v));
      failures.forEach((op, f) -> op.result().completeExceptionally(f));
    }
  }

  private Outcomes apply(Connection c, List<Op> group) throws SQLException {
    Outcomes outcomes = new Outcomes();
    List<InsertOp> inserts = new ArrayList<>();
    List<DeleteOp> deletes = new ArrayList<>();
    for (Op op : group) {
      if (op instanceof InsertOp i) {
        inserts.add(i);
      } else {
        deletes.add((DeleteOp) op);
      }
    }
    if (!inserts.isEmpty()) {
      insert(c, inserts, outcomes);
    }
    if (!deletes.isEmpty()) {
      delete(c, deletes, outcomes);
    }
    return outcomes;
  }

  private void insert(Connection c, List<InsertOp> ops, Outcomes outcomes) throws SQLException {
    // Lock every destination device row, in key order; missing ones fail their sends only.
    Map<Address, Integer> limits = new TreeMap<>(EnvelopeSql.ADDRESS_ORDER);
    for (InsertOp op : ops) {
      for (Outgoing o : op.batch()) {
        limits.merge(o.destination(), op.maxQueue(), Math::min);
      }
    }
    Set<Address> present = EnvelopeSql.lockDevices(c, limits.keySet());
    List<InsertOp> valid = new ArrayList<>(ops.size());
    for (InsertOp op : ops) {
      if (op.batch().stream().allMatch(o -> present.contains(o.destination()))) {
        valid.add(op);
      } else {
        outcomes.failures.put(op, new StoreException("a destination device is gone", null));
      }
    }
    if (valid.isEmpty()) {
      return;
    }
    Map<ByteBuffer, Long> seqs =
        EnvelopeSql.insertEnvelopes(c, valid.stream().flatMap(op -> op.batch().stream()).toList());
    for (InsertOp op : valid) {
      List<QueuedEnvelope> out = new ArrayList<>(op.batch().size());
      for (Outgoing o : op.batch()) {
        Long seq = seqs.get(ByteBuffer.wrap(o.envelope().getGuid().toByteArray()));
        out.add(new QueuedEnvelope(o.destination(), seq, o.envelope()));
      }
      outcomes.values.put(op, out);
    }
    limits.keySet().retainAll(present);
    EnvelopeSql.trim(c, limits);
  }

  private static void delete(Connection c, List<DeleteOp> ops, Outcomes outcomes)
      throws SQLException {
    int n = ops.stream().mapToInt(op -> op.guids().size()).sum();
    String[] accounts = new String[n];
    Integer[] devices = new Integer[n];
    byte[][] guids = new byte[n][];
    int i = 0;
    for (DeleteOp op : ops) {
      for (byte[] g : op.guids()) {
        accounts[i] = op.device().account().toString();
        devices[i] = op.device().device().value();
        guids[i] = g;
        i++;
      }
    }
    Map<ByteBuffer, Long> deleted = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(ACK)) {
      ps.setArray(1, c.createArrayOf("text", accounts));
      ps.setArray(2, c.createArrayOf("int4", devices));
      ps.setArray(3, c.createArrayOf("bytea", guids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          deleted.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getLong(2));
        }
      }
    }
    // A guid acked twice in one group (or for another device) yields its timestamp only once.
    for (DeleteOp op : ops) {
      List<Long> timestamps = new ArrayList<>();
      for (byte[] g : op.guids()) {
        Long ts = deleted.remove(ByteBuffer.wrap(g));
        if (ts != null) {
          timestamps.add(ts);
        }
      }
      outcomes.values.put(op, timestamps);
    }
  }

  /** Finishes queued operations, then stops the writer threads. */
  @Override
  public void close() {
    grouper.close();
  }
}
