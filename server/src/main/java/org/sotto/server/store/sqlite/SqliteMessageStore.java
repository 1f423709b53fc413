package org.sotto.server.store.sqlite;

import com.google.protobuf.ByteString;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.proto.Envelope;
import org.sotto.server.store.MessageStore;
import org.sotto.server.store.QueuedEnvelope;

/**
 * {@link MessageStore} on SQLite. Inserts, acks and expiry go through {@link
 * SqliteDatabase#writeAsync}, so concurrent sends and acks share one group commit (one fsync).
 * Queue order is the {@code seq} column ({@code AUTOINCREMENT}): the single writer assigns it in
 * commit order, so a reader paging by {@code seq} never skips an envelope that commits later.
 *
 * <p>{@link #depth()} is an in-memory counter kept in step with every insert, ack and drop, and
 * recounted by each {@link #expire} run, which also corrects the drift left by rows that left with
 * a removed device or account (foreign-key cascades this store does not see). Thread-safe.
 */
public final class SqliteMessageStore implements MessageStore {
  /**
   * Expiry deletes at most this many envelopes per group commit, so a large backlog of old
   * envelopes does not hold the writer (and every send queued behind it) for seconds.
   */
  static final int EXPIRE_BATCH = 5_000;

  private static final String COLUMNS =
      "seq, guid, type, source_account, source_device, client_ts, server_ts, content";

  private static final String FETCH =
      "SELECT "
          + COLUMNS
          + " FROM envelopes WHERE account_id = ? AND device_id = ? AND seq > ? ORDER BY seq LIMIT ?";

  private final SqliteDatabase db;
  private final AtomicLong depth;
  private final AtomicLong droppedTotal = new AtomicLong();

  private record Inserted(List<QueuedEnvelope> envelopes, long dropped) {}

  private record Expired(int deleted, long depth) {}

  /** A store over {@code db}; counts the queued envelopes once to start the depth gauge. */
  public SqliteMessageStore(SqliteDatabase db) {
    this.db = db;
    this.depth = new AtomicLong(db.read(SqliteMessageStore::count));
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
    return db.writeAsync(c -> insert(db, c, batch, maxQueue))
        .thenApply(
            r -> {
              depth.addAndGet(r.envelopes().size() - r.dropped());
              droppedTotal.addAndGet(r.dropped());
              return r.envelopes();
            });
  }

  private static Inserted insert(
      SqliteDatabase db, Connection c, List<Outgoing> batch, int maxQueue) throws SQLException {
    List<QueuedEnvelope> out = new ArrayList<>(batch.size());
    Set<Address> destinations = new LinkedHashSet<>();
    {
      PreparedStatement ps =
          db.prepared(
              c,
              """
              INSERT INTO envelopes (account_id, device_id, guid, type, source_account, source_device,
                                     client_ts, server_ts, content)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
              RETURNING seq
              """);
      for (Outgoing o : batch) {
        Envelope e = o.envelope();
        ps.setString(1, o.destination().account().toString());
        ps.setInt(2, o.destination().device().value());
        ps.setBytes(3, e.getGuid().toByteArray());
        ps.setInt(4, e.getTypeValue());
        if (e.getSourceAccount().isEmpty()) {
          ps.setNull(5, java.sql.Types.VARCHAR);
          ps.setNull(6, java.sql.Types.INTEGER);
        } else {
          ps.setString(5, e.getSourceAccount());
          ps.setInt(6, e.getSourceDevice());
        }
        ps.setLong(7, e.getClientTimestamp());
        ps.setLong(8, e.getServerTimestamp());
        ps.setBytes(9, e.getContent().toByteArray());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.add(new QueuedEnvelope(o.destination(), rs.getLong(1), e));
        }
        destinations.add(o.destination());
      }
    }
    long dropped = 0;
    for (Address d : destinations) {
      dropped += trim(db, c, d, maxQueue);
    }
    return new Inserted(out, dropped);
  }

  /** Deletes the oldest envelopes beyond {@code maxQueue} and counts them as dropped. */
  private static long trim(SqliteDatabase db, Connection c, Address device, int maxQueue)
      throws SQLException {
    long boundary;
    {
      PreparedStatement ps =
          db.prepared(
              c,
              """
              SELECT seq FROM envelopes WHERE account_id = ? AND device_id = ?
              ORDER BY seq DESC LIMIT 1 OFFSET ?
              """);
      ps.setString(1, device.account().toString());
      ps.setInt(2, device.device().value());
      ps.setInt(3, maxQueue);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
        boundary = rs.getLong(1);
      }
    }
    int deleted;
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM envelopes WHERE account_id = ? AND device_id = ? AND seq <= ?")) {
      ps.setString(1, device.account().toString());
      ps.setInt(2, device.device().value());
      ps.setLong(3, boundary);
      deleted = ps.executeUpdate();
    }
    addDropped(c, device, deleted);
    return deleted;
  }

  private static void addDropped(Connection c, Address device, long n) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE devices SET dropped = dropped + ? WHERE account_id = ? AND device_id = ?")) {
      ps.setLong(1, n);
      ps.setString(2, device.account().toString());
      ps.setInt(3, device.device().value());
      ps.executeUpdate();
    }
  }

  @Override
  public List<QueuedEnvelope> fetch(Address device, long afterSeq, int limit) {
    if (limit < 1) {
      return List.of();
    }
    return db.read(
        c -> {
          {
            PreparedStatement ps = db.prepared(c, FETCH);
            ps.setString(1, device.account().toString());
            ps.setInt(2, device.device().value());
            ps.setLong(3, afterSeq);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
              List<QueuedEnvelope> out = new ArrayList<>();
              while (rs.next()) {
                out.add(new QueuedEnvelope(device, rs.getLong(1), envelope(device, rs)));
              }
              return out;
            }
          }
        });
  }

  private static Envelope envelope(Address device, ResultSet rs) throws SQLException {
    Envelope.Builder b =
        Envelope.newBuilder()
            .setGuid(ByteString.copyFrom(rs.getBytes(2)))
            .setTypeValue(rs.getInt(3))
            .setDestinationDevice(device.device().value())
            .setClientTimestamp(rs.getLong(6))
            .setServerTimestamp(rs.getLong(7))
            .setContent(ByteString.copyFrom(rs.getBytes(8)));
    String source = rs.getString(4);
    if (source != null) {
      b.setSourceAccount(source).setSourceDevice(rs.getInt(5));
    }
    return b.build();
  }

  @Override
  public CompletableFuture<List<Long>> delete(Address device, List<byte[]> guids) {
    if (guids.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<byte[]> copy = List.copyOf(guids);
    return db.writeAsync(
            c -> {
              List<Long> serverTimestamps = new ArrayList<>(copy.size());
              {
                PreparedStatement ps =
                    db.prepared(
                        c,
                        """
                        DELETE FROM envelopes WHERE guid = ? AND account_id = ? AND device_id = ?
                        RETURNING server_ts
                        """);
                for (byte[] guid : copy) {
                  ps.setBytes(1, guid);
                  ps.setString(2, device.account().toString());
                  ps.setInt(3, device.device().value());
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      serverTimestamps.add(rs.getLong(1));
                    }
                  }
                }
              }
              return serverTimestamps;
            })
        .thenApply(
            deleted -> {
              depth.addAndGet(-deleted.size());
              return deleted;
            });
  }

  @Override
  public long takeDropped(Address device) {
    // Read first: almost every connection has nothing to report and needs no write.
    long seen = db.read(c -> dropped(c, device));
    if (seen == 0) {
      return 0;
    }
    return db.write(
        c -> {
          long n = dropped(c, device);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE devices SET dropped = 0 WHERE account_id = ? AND device_id = ?")) {
            ps.setString(1, device.account().toString());
            ps.setInt(2, device.device().value());
            ps.executeUpdate();
          }
          return n;
        });
  }

  private static long dropped(Connection c, Address device) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT dropped FROM devices WHERE account_id = ? AND device_id = ?")) {
      ps.setString(1, device.account().toString());
      ps.setInt(2, device.device().value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  @Override
  public long droppedTotal() {
    return droppedTotal.get();
  }

  @Override
  public int expire(long cutoffMs) {
    int total = 0;
    while (true) {
      Expired batch = db.write(c -> expireBatch(c, cutoffMs));
      depth.set(batch.depth());
      droppedTotal.addAndGet(batch.deleted());
      total += batch.deleted();
      if (batch.deleted() < EXPIRE_BATCH) {
        return total;
      }
    }
  }

  private static Expired expireBatch(Connection c, long cutoffMs) throws SQLException {
    Map<Address, Integer> perDevice = new HashMap<>();
    List<Long> seqs = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            SELECT seq, account_id, device_id FROM envelopes WHERE server_ts < ?
            ORDER BY server_ts LIMIT ?
            """)) {
      ps.setLong(1, cutoffMs);
      ps.setInt(2, EXPIRE_BATCH);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
          Address a = new Address(AccountId.parse(rs.getString(2)), new DeviceId(rs.getInt(3)));
          perDevice.merge(a, 1, Integer::sum);
        }
      }
    }
    if (!seqs.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM envelopes WHERE seq = ?")) {
        for (long seq : seqs) {
          ps.setLong(1, seq);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      for (var e : perDevice.entrySet()) {
        addDropped(c, e.getKey(), e.getValue());
      }
    }
    return new Expired(seqs.size(), count(c));
  }

  private static long count(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM envelopes");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public long depth() {
    return depth.get();
  }
}
