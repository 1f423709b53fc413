package org.sotto.server.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.sotto.api.AccountId;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.NewDevice;

/** {@link AccountStore} on SQLite. Thread-safe. */
public final class SqliteAccountStore implements AccountStore {
  private final SqliteDatabase db;

  /** A store over {@code db}. */
  public SqliteAccountStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void create(AccountRecord account, NewDevice firstDevice) throws HandleTakenException {
    try {
      db.write(
          c -> {
            if (account.handle() != null && handleOwner(c, account.handle()).isPresent()) {
              throw new HandleTaken();
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    """
                    INSERT INTO accounts (id, handle, identity_key, created_day, last_seen_day)
                    VALUES (?, ?, ?, ?, ?)
                    """)) {
              ps.setString(1, account.id().toString());
              ps.setString(2, account.handle());
              ps.setBytes(3, account.identityKey());
              ps.setLong(4, account.createdDay());
              ps.setLong(5, account.lastSeenDay());
              ps.executeUpdate();
            }
            SqliteDeviceStore.insertDevice(c, account.id(), 1, firstDevice);
            return null;
          });
    } catch (HandleTaken e) {
      throw new HandleTakenException();
    }
  }

  /** Unchecked carrier out of the writer lambda. */
  private static final class HandleTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HandleTaken() {
      super(null, null, false, false);
    }
  }

  private static Optional<AccountId> handleOwner(Connection c, String handle) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM accounts WHERE handle = ?")) {
      ps.setString(1, handle);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(AccountId.parse(rs.getString(1))) : Optional.empty();
      }
    }
  }

  @Override
  public Optional<AccountRecord> find(AccountId id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT handle, identity_key, created_day, last_seen_day FROM accounts WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new AccountRecord(
                      id, rs.getString(1), rs.getBytes(2), rs.getLong(3), rs.getLong(4)));
            }
          }
        });
  }

  @Override
  public Optional<AccountId> findByHandle(String handle) {
    return db.read(c -> handleOwner(c, handle));
  }

  @Override
  public void setHandle(AccountId id, String handle) throws HandleTakenException {
    try {
      db.write(
          c -> {
            Optional<AccountId> owner = handleOwner(c, handle);
            if (owner.isPresent() && !owner.get().equals(id)) {
              throw new HandleTaken();
            }
            update(c, "UPDATE accounts SET handle = ? WHERE id = ?", handle, id);
            return null;
          });
    } catch (HandleTaken e) {
      throw new HandleTakenException();
    }
  }

  @Override
  public void clearHandle(AccountId id) {
    db.write(c -> update(c, "UPDATE accounts SET handle = NULL WHERE id = ?", null, id));
  }

  @Override
  public void touch(AccountId id, long day) {
    db.writeAsync(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE accounts SET last_seen_day = ? WHERE id = ? AND last_seen_day < ?")) {
            ps.setLong(1, day);
            ps.setString(2, id.toString());
            ps.setLong(3, day);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public void delete(AccountId id) {
    db.write(
        c -> {
          // Envelopes and prekeys go with their devices, devices and codes with the account (ON
          // DELETE CASCADE).
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM accounts WHERE id = ?")) {
            ps.setString(1, id.toString());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public void setProfile(AccountId id, byte[] blob, byte[] unidentifiedAccessKey) {
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE accounts SET profile = ?, uak = ? WHERE id = ?")) {
            ps.setBytes(1, blob);
            ps.setBytes(2, unidentifiedAccessKey);
            ps.setString(3, id.toString());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<byte[]> profile(AccountId id) {
    return column(id, "profile");
  }

  @Override
  public Optional<byte[]> unidentifiedAccessKey(AccountId id) {
    return column(id, "uak");
  }

  private Optional<byte[]> column(AccountId id, String column) {
    String sql =
        switch (column) {
          case "profile" -> "SELECT profile FROM accounts WHERE id = ?";
          case "uak" -> "SELECT uak FROM accounts WHERE id = ?";
          default -> throw new IllegalArgumentException(column);
        };
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
          }
        });
  }

  private static int update(Connection c, String sql, String value, AccountId id)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (value != null) {
        ps.setString(i++, value);
      }
      ps.setString(i, id.toString());
      return ps.executeUpdate();
    }
  }
}
