package org.sotto.server.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.sotto.server.certs.ServerKeys;
import org.sotto.server.store.StoreException;

/**
 * The {@code server_keys} row that every node of a cluster shares: the first node to start inserts
 * its freshly made keys ({@code ON CONFLICT DO NOTHING}), every node then reads back the one row.
 * Thread-safe.
 */
public final class PostgresServerKeys implements ServerKeys.SharedStore {
  private final PostgresDatabase db;

  /** The shared keys in {@code db}. */
  public PostgresServerKeys(PostgresDatabase db) {
    this.db = db;
  }

  @Override
  public ServerKeys.Material putIfAbsent(ServerKeys.Material candidate) {
    return db.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  INSERT INTO server_keys (id, trust_root, server_key, certificate)
                  VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                  """)) {
            ps.setBytes(1, candidate.trustRoot());
            ps.setBytes(2, candidate.serverKey());
            ps.setBytes(3, candidate.certificate());
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT trust_root, server_key, certificate FROM server_keys WHERE id = 1");
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new StoreException("the server_keys row is missing", null);
            }
            return new ServerKeys.Material(rs.getBytes(1), rs.getBytes(2), rs.getBytes(3));
          }
        });
  }
}
