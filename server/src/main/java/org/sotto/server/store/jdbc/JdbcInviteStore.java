package org.sotto.server.store.jdbc;

import java.sql.PreparedStatement;
import org.sotto.server.store.InviteStore;

/**
 * {@link InviteStore} on either database: its SQL is the same on SQLite and PostgreSQL.
 * Thread-safe.
 */
public final class JdbcInviteStore implements InviteStore {
  private final Sql db;

  /** A store over {@code db}. */
  public JdbcInviteStore(Sql db) {
    this.db = db;
  }

  @Override
  public void add(byte[] codeHash, long createdMs) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO invites (code_hash, created_ms) VALUES (?, ?)")) {
            ps.setBytes(1, codeHash);
            ps.setLong(2, createdMs);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public boolean consume(byte[] codeHash) {
    return db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM invites WHERE code_hash = ?")) {
            ps.setBytes(1, codeHash);
            return ps.executeUpdate() > 0;
          }
        });
  }
}
