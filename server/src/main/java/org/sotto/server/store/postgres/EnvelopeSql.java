package org.sotto.server.store.postgres;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.proto.Envelope;
import org.sotto.server.store.MessageStore.Outgoing;
import org.sotto.server.store.QueuedEnvelope;

/**
 * The array statements of {@link GroupWriter} and {@link PostgresMessageStore}: each handles every
 * envelope or device of a group in one round trip ({@code unnest} over array parameters). Runs
 * inside the caller's transaction. Stateless.
 */
final class EnvelopeSql {
  private EnvelopeSql() {}

  static final String LOCK_DEVICES =
      """
      SELECT account_id, device_id FROM devices
      WHERE (account_id, device_id) IN (SELECT * FROM unnest(?::text[], ?::int[]))
      ORDER BY account_id, device_id FOR NO KEY UPDATE
      """;

  static final String INSERT =
      """
      INSERT INTO envelopes (account_id, device_id, guid, type, source_account, source_device,
                             client_ts, server_ts, content)
      SELECT a, d, g, t, sa, sd, ct, st, co
      FROM unnest(?::text[], ?::int[], ?::bytea[], ?::int[], ?::text[], ?::int[], ?::bigint[],
                  ?::bigint[], ?::bytea[]) WITH ORDINALITY AS u(a, d, g, t, sa, sd, ct, st, co, n)
      ORDER BY n
      RETURNING guid, seq
      """;

  /** The newest envelope beyond each queue's limit: it and everything older are dropped. */
  static final String BOUNDARIES =
      """
      SELECT q.a, q.d, b.seq FROM unnest(?::text[], ?::int[], ?::int[]) AS q(a, d, m)
      CROSS JOIN LATERAL (
        SELECT seq FROM envelopes WHERE account_id = q.a AND device_id = q.d
        ORDER BY seq DESC OFFSET q.m LIMIT 1) b
      """;

  /**
   * Deletes each queue's envelopes up to its boundary. Each queue is read by its index in a
   * subquery the planner keeps apart ({@code OFFSET 0}), then the rows go by primary key, so that
   * no statistics can make it a scan of the whole table (see {@code GroupWriter.ACK}).
   */
  static final String TRIM =
      """
      WITH gone AS (
        DELETE FROM envelopes WHERE seq = ANY (ARRAY(
          SELECT x.seq FROM unnest(?::text[], ?::int[], ?::bigint[]) AS b(a, d, s)
          CROSS JOIN LATERAL (
            SELECT seq FROM envelopes
            WHERE account_id = b.a AND device_id = b.d AND seq <= b.s OFFSET 0) x))
        RETURNING account_id, device_id)
      SELECT account_id, device_id, count(*) FROM gone GROUP BY account_id, device_id
      ORDER BY account_id, device_id
      """;

  static final String ADD_DROPPED =
      """
      UPDATE devices SET dropped = dropped + b.n
      FROM unnest(?::text[], ?::int[], ?::bigint[]) AS b(a, d, n)
      WHERE devices.account_id = b.a AND devices.device_id = b.d
      """;

  /**
   * A fixed order of addresses (account id text, then device id): deterministic parameter arrays.
   */
  static final Comparator<Address> ADDRESS_ORDER =
      Comparator.comparing((Address a) -> a.account().toString())
          .thenComparingInt(a -> a.device().value());

  static Set<Address> lockDevices(Connection c, Set<Address> devices) throws SQLException {
    Set<Address> present = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(LOCK_DEVICES)) {
      setAddresses(c, ps, 1, devices);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          present.add(address(rs.getString(1), rs.getInt(2)));
        }
      }
    }
    return present;
  }

  static Map<ByteBuffer, Long> insertEnvelopes(Connection c, List<Outgoing> all)
      throws SQLException {
    int n = all.size();
    String[] accounts = new String[n];
    Integer[] devices = new Integer[n];
    byte[][] guids = new byte[n][];
    Integer[] types = new Integer[n];
    String[] sources = new String[n];
    Integer[] sourceDevices = new Integer[n];
    Long[] clientTs = new Long[n];
    Long[] serverTs = new Long[n];
    byte[][] contents = new byte[n][];
    int i = 0;
    for (Outgoing o : all) {
      Envelope e = o.envelope();
      accounts[i] = o.destination().account().toString();
      devices[i] = o.destination().device().value();
      guids[i] = e.getGuid().toByteArray();
      types[i] = e.getTypeValue();
      if (!e.getSourceAccount().isEmpty()) {
        sources[i] = e.getSourceAccount();
        sourceDevices[i] = e.getSourceDevice();
      }
      clientTs[i] = e.getClientTimestamp();
      serverTs[i] = e.getServerTimestamp();
      contents[i] = e.getContent().toByteArray();
      i++;
    }
    Map<ByteBuffer, Long> seqs = new HashMap<>(n * 2);
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setArray(1, c.createArrayOf("text", accounts));
      ps.setArray(2, c.createArrayOf("int4", devices));
      ps.setArray(3, c.createArrayOf("bytea", guids));
      ps.setArray(4, c.createArrayOf("int4", types));
      ps.setArray(5, c.createArrayOf("text", sources));
      ps.setArray(6, c.createArrayOf("int4", sourceDevices));
      ps.setArray(7, c.createArrayOf("int8", clientTs));
      ps.setArray(8, c.createArrayOf("int8", serverTs));
      ps.setArray(9, c.createArrayOf("bytea", contents));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getLong(2));
        }
      }
    }
    return seqs;
  }

  /** Drops the oldest envelopes beyond each queue's limit and counts them as dropped. */
  static void trim(Connection c, Map<Address, Integer> limits) throws SQLException {
    List<Address> over = new ArrayList<>();
    List<Long> boundaries = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(BOUNDARIES)) {
      setAddresses(c, ps, 1, limits.keySet());
      ps.setArray(3, c.createArrayOf("int4", limits.values().toArray(Integer[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          over.add(address(rs.getString(1), rs.getInt(2)));
          boundaries.add(rs.getLong(3));
        }
      }
    }
    if (over.isEmpty()) {
      return;
    }
    Map<Address, Long> dropped = new TreeMap<>(ADDRESS_ORDER);
    try (PreparedStatement ps = c.prepareStatement(TRIM)) {
      setAddresses(c, ps, 1, over);
      ps.setArray(3, c.createArrayOf("int8", boundaries.toArray(Long[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          dropped.put(address(rs.getString(1), rs.getInt(2)), rs.getLong(3));
        }
      }
    }
    addDropped(c, dropped);
  }

  /**
   * Adds to the devices' dropped counters and to the cluster-wide total, inside the caller's
   * transaction (devices first, in key order, then the counter: the lock order every writer keeps).
   */
  static void addDropped(Connection c, Map<Address, Long> dropped) throws SQLException {
    if (dropped.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(ADD_DROPPED)) {
      setAddresses(c, ps, 1, dropped.keySet());
      ps.setArray(3, c.createArrayOf("int8", dropped.values().toArray(Long[]::new)));
      ps.executeUpdate();
    }
    long total = dropped.values().stream().mapToLong(Long::longValue).sum();
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE store_counters SET value = value + ? WHERE name = 'dropped'")) {
      ps.setLong(1, total);
      ps.executeUpdate();
    }
  }

  /** Sets two array parameters (account ids, device ids) from {@code addresses}, in order. */
  static void setAddresses(
      Connection c, PreparedStatement ps, int index, Collection<Address> addresses)
      throws SQLException {
    String[] accounts = new String[addresses.size()];
    Integer[] devices = new Integer[addresses.size()];
    int i = 0;
    for (Address a : addresses) {
      accounts[i] = a.account().toString();
      devices[i] = a.device().value();
      i++;
    }
    Array a1 = c.createArrayOf("text", accounts);
    Array a2 = c.createArrayOf("int4", devices);
    ps.setArray(index, a1);
    ps.setArray(index + 1, a2);
  }

  /**
   * The envelope for {@code device} in the current row of {@code rs}, whose columns from {@code
   * first} on are {@link QueueReader#COLUMNS}.
   */
  static QueuedEnvelope queued(Address device, ResultSet rs, int first) throws SQLException {
    Envelope.Builder b =
        Envelope.newBuilder()
            .setGuid(ByteString.copyFrom(rs.getBytes(first + 1)))
            .setTypeValue(rs.getInt(first + 2))
            .setDestinationDevice(device.device().value())
            .setClientTimestamp(rs.getLong(first + 5))
            .setServerTimestamp(rs.getLong(first + 6))
            .setContent(ByteString.copyFrom(rs.getBytes(first + 7)));
    String source = rs.getString(first + 3);
    if (source != null) {
      b.setSourceAccount(source).setSourceDevice(rs.getInt(first + 4));
    }
    return new QueuedEnvelope(device, rs.getLong(first), b.build());
  }

  static Address address(String account, int device) {
    return new Address(AccountId.parse(account), new DeviceId(device));
  }
}
