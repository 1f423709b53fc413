package org.sotto.server.store.sqlite;

import java.sql.PreparedStatement;
import org.sotto.server.store.InviteStore;

/** {@link InviteStore} on SQLite. Thread-safe. */
public final class SqliteInviteStore implements InviteStore {
  private final SqliteDatabase db;

  /** A store over {@code db}. */
  public SqliteInviteStore(SqliteDatabase db) {
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
