package org.sotto.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sotto.server.store.AttachmentRecord;
import org.sotto.server.store.AttachmentStore;

/**
 * {@link AttachmentStore} on either database: its SQL is the same on SQLite and PostgreSQL.
 * Thread-safe.
 */
public final class JdbcAttachmentStore implements AttachmentStore {
  private final Sql db;

  /** A store over {@code db}. */
  public JdbcAttachmentStore(Sql db) {
    this.db = db;
  }

  @Override
  public void create(AttachmentRecord a) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO attachments (id, length, received, created_ms) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setLong(2, a.length());
            ps.setLong(3, a.received());
            ps.setLong(4, a.createdMs());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<AttachmentRecord> find(String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT length, received, created_ms FROM attachments WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new AttachmentRecord(id, rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public void setReceived(String id, long received) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE attachments SET received = ? WHERE id = ?")) {
            ps.setLong(1, received);
            ps.setString(2, id);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public List<String> createdBefore(long cutoffMs, int limit) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id FROM attachments WHERE created_ms < ? ORDER BY created_ms LIMIT ?")) {
            ps.setLong(1, cutoffMs);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              List<String> ids = new ArrayList<>();
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
              return ids;
            }
          }
        });
  }

  @Override
  public void delete(List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    db.write(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM attachments WHERE id = ?")) {
            for (String id : ids) {
              ps.setString(1, id);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }
}
