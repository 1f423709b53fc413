package org.sotto.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.api.AccountId;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.NewDevice;
import org.sotto.server.store.StoreException;

/**
 * {@link AccountStore} on PostgreSQL. A handle claimed by two nodes at once is decided by the
 * unique index: the loser gets {@link HandleTakenException}. Thread-safe.
 */
public final class PostgresAccountStore implements AccountStore {
  /** The unique constraint on {@code accounts.handle} (PostgreSQL's default name). */
  static final String HANDLE_CONSTRAINT = "accounts_handle_key";

  private static final Logger log = LoggerFactory.getLogger(PostgresAccountStore.class);

  private final PostgresDatabase db;

  /** A store over {@code db}. */
  public PostgresAccountStore(PostgresDatabase db) {
    this.db = db;
  }

  @Override
  public void create(AccountRecord account, NewDevice firstDevice) throws HandleTakenException {
    try {
      db.transaction(
          c -> {
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
            } catch (SQLException e) {
              throw handleTakenOr(e);
            }
            PostgresDeviceStore.insertDevice(c, account.id(), 1, firstDevice);
            return null;
          });
    } catch (HandleTaken e) {
      throw new HandleTakenException();
    }
  }

  /** A unique violation on the handle becomes {@link HandleTaken}; anything else is rethrown. */
  private static SQLException handleTakenOr(SQLException e) {
    if ("23505".equals(e.getSQLState())
        && e instanceof PSQLException p
        && p.getServerErrorMessage() != null
        && HANDLE_CONSTRAINT.equals(p.getServerErrorMessage().getConstraint())) {
      throw new HandleTaken();
    }
    return e;
  }

  /** Unchecked carrier out of the transaction lambda. */
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
    return db.autoCommit(
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
    return db.autoCommit(c -> handleOwner(c, handle));
  }

  @Override
  public void setHandle(AccountId id, String handle) throws HandleTakenException {
    try {
      db.transaction(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE accounts SET handle = ? WHERE id = ?")) {
              ps.setString(1, handle);
              ps.setString(2, id.toString());
              return ps.executeUpdate();
            } catch (SQLException e) {
              throw handleTakenOr(e);
            }
          });
    } catch (HandleTaken e) {
      throw new HandleTakenException();
    }
  }

  @Override
  public void clearHandle(AccountId id) {
    update("UPDATE accounts SET handle = NULL WHERE id = ?", id);
  }

  /**
   * Best effort, like SQLite's asynchronous touch: the authenticated request goes on even when
   * PostgreSQL is briefly away (the day is recorded at the next request of a later day).
   */
  @Override
  public void touch(AccountId id, long day) {
    try {
      touchOrThrow(id, day);
    } catch (StoreException e) {
      log.warn("recording a last-seen day failed: {}", e.getMessage());
    }
  }

  private void touchOrThrow(AccountId id, long day) {
    db.autoCommit(
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
    // Devices and codes go with the account, prekeys with the devices (ON DELETE CASCADE); the
    // envelopes are deleted after the device rows, in the same transaction (see V4.sql).
    db.transaction(
        c -> {
          for (String sql :
              List.of(
                  "DELETE FROM accounts WHERE id = ?",
                  "DELETE FROM envelopes WHERE account_id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setString(1, id.toString());
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  @Override
  public void setProfile(AccountId id, byte[] blob, byte[] unidentifiedAccessKey) {
    db.autoCommit(
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
    return column(id, "SELECT profile FROM accounts WHERE id = ?");
  }

  @Override
  public Optional<byte[]> unidentifiedAccessKey(AccountId id) {
    return column(id, "SELECT uak FROM accounts WHERE id = ?");
  }

  private Optional<byte[]> column(AccountId id, String sql) {
    return db.autoCommit(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
          }
        });
  }

  /** One statement with the account id as its only parameter, in auto-commit mode. */
  private void update(String sql, AccountId id) {
    db.autoCommit(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            return ps.executeUpdate();
          }
        });
  }
}
