package org.sotto.server.store.postgres;

import java.sql.PreparedStatement;
import org.sotto.server.store.InviteStore;

/**
 * {@link InviteStore} on PostgreSQL. Consuming is one {@code DELETE}: of two nodes redeeming the
 * same code at once, exactly one sees the row. Thread-safe.
 */
public final class PostgresInviteStore implements InviteStore {
  private final PostgresDatabase db;

  /** A store over {@code db}. */
  public PostgresInviteStore(PostgresDatabase db) {
    this.db = db;
  }

  @Override
  public void add(byte[] codeHash, long createdMs) {
    db.autoCommit(
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
    return db.autoCommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM invites WHERE code_hash = ?")) {
            ps.setBytes(1, codeHash);
            return ps.executeUpdate() > 0;
          }
        });
  }
}
