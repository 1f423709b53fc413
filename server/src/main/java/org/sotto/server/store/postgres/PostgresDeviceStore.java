package org.sotto.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.ApiChecks;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.server.store.DeviceRecord;
import org.sotto.server.store.DeviceStore;
import org.sotto.server.store.NewDevice;

/**
 * {@link DeviceStore} on PostgreSQL. {@link #add} locks the account row, so two nodes linking
 * devices to one account at once pick different ids and respect the limit together. Thread-safe.
 */
public final class PostgresDeviceStore implements DeviceStore {
  private static final String SELECT =
      """
      SELECT device_id, registration_id, secret_salt, secret_hash, signed_id, signed_key, signed_sig,
             last_resort_id, last_resort_key, last_resort_sig, name
      FROM devices
      """;

  private final PostgresDatabase db;

  /** A store over {@code db}. */
  public PostgresDeviceStore(PostgresDatabase db) {
    this.db = db;
  }

  @Override
  public List<DeviceRecord> devices(AccountId account) {
    return db.autoCommit(c -> devices(c, account));
  }

  private static List<DeviceRecord> devices(Connection c, AccountId account) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(SELECT + " WHERE account_id = ? ORDER BY device_id")) {
      ps.setString(1, account.toString());
      try (ResultSet rs = ps.executeQuery()) {
        List<DeviceRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(record(account, rs));
        }
        return out;
      }
    }
  }

  @Override
  public Optional<DeviceRecord> device(Address address) {
    return db.autoCommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(SELECT + " WHERE account_id = ? AND device_id = ?")) {
            ps.setString(1, address.account().toString());
            ps.setInt(2, address.device().value());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(record(address.account(), rs)) : Optional.empty();
            }
          }
        });
  }

  private static DeviceRecord record(AccountId account, ResultSet rs) throws SQLException {
    return new DeviceRecord(
        new Address(account, new DeviceId(rs.getInt(1))),
        rs.getInt(2),
        rs.getBytes(3),
        rs.getBytes(4),
        new SignedPreKey(rs.getInt(5), rs.getBytes(6), rs.getBytes(7)),
        new KyberPreKey(rs.getInt(8), rs.getBytes(9), rs.getBytes(10)),
        rs.getBytes(11));
  }

  @Override
  public DeviceRecord add(AccountId account, NewDevice device, int max)
      throws TooManyDevicesException {
    int id =
        db.transaction(
            c -> {
              try (PreparedStatement lock =
                  c.prepareStatement("SELECT 1 FROM accounts WHERE id = ? FOR NO KEY UPDATE")) {
                lock.setString(1, account.toString());
                try (ResultSet rs = lock.executeQuery()) {
                  if (!rs.next()) {
                    return -1;
                  }
                }
              }
              List<DeviceRecord> existing = devices(c, account);
              if (existing.size() >= max) {
                return 0;
              }
              int next = 1;
              for (DeviceRecord d : existing) {
                if (d.address().device().value() == next) {
                  next++;
                }
              }
              if (next > ApiChecks.MAX_DEVICE_ID) {
                return 0;
              }
              // A device id is reused after a removal: no envelope of the old device may reach the
              // new one, even one left by a node from before V4 (no cascade any more, see V4.sql).
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "DELETE FROM envelopes WHERE account_id = ? AND device_id = ?")) {
                ps.setString(1, account.toString());
                ps.setInt(2, next);
                ps.executeUpdate();
              }
              insertDevice(c, account, next, device);
              return next;
            });
    if (id == 0) {
      throw new TooManyDevicesException();
    }
    if (id < 0) {
      throw new IllegalStateException("no such account");
    }
    return device(new Address(account, new DeviceId(id))).orElseThrow();
  }

  /** Inserts a device row and its one-time prekeys inside the caller's transaction. */
  static void insertDevice(Connection c, AccountId account, int deviceId, NewDevice device)
      throws SQLException {
    var keys = device.keys();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            INSERT INTO devices (account_id, device_id, registration_id, secret_salt, secret_hash,
                                 signed_id, signed_key, signed_sig, last_resort_id, last_resort_key,
                                 last_resort_sig, name)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)) {
      ps.setString(1, account.toString());
      ps.setInt(2, deviceId);
      ps.setInt(3, keys.registrationId());
      ps.setBytes(4, device.secretSalt());
      ps.setBytes(5, device.secretHash());
      ps.setInt(6, keys.signedPreKey().keyId());
      ps.setBytes(7, keys.signedPreKey().publicKey());
      ps.setBytes(8, keys.signedPreKey().signature());
      ps.setInt(9, keys.lastResortKyberPreKey().keyId());
      ps.setBytes(10, keys.lastResortKyberPreKey().publicKey());
      ps.setBytes(11, keys.lastResortKyberPreKey().signature());
      ps.setBytes(12, device.name());
      ps.executeUpdate();
    }
    Address address = new Address(account, new DeviceId(deviceId));
    PostgresKeyStore.insertPreKeys(c, address, keys.preKeys(), keys.kyberPreKeys());
  }

  @Override
  public boolean remove(Address address) {
    // Prekeys go with the device (ON DELETE CASCADE); its envelopes are deleted after the device
    // row, in the same transaction (see V4.sql).
    return db.transaction(
        c -> {
          boolean removed;
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM devices WHERE account_id = ? AND device_id = ?")) {
            ps.setString(1, address.account().toString());
            ps.setInt(2, address.device().value());
            removed = ps.executeUpdate() > 0;
          }
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM envelopes WHERE account_id = ? AND device_id = ?")) {
            ps.setString(1, address.account().toString());
            ps.setInt(2, address.device().value());
            ps.executeUpdate();
          }
          return removed;
        });
  }

  @Override
  public void addProvisioningCode(AccountId account, byte[] codeHash, long expiresMs) {
    db.autoCommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO provisioning_codes (code_hash, account_id, expires_ms) VALUES (?, ?, ?)")) {
            ps.setBytes(1, codeHash);
            ps.setString(2, account.toString());
            ps.setLong(3, expiresMs);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public boolean consumeProvisioningCode(AccountId account, byte[] codeHash, long nowMs) {
    return db.transaction(
        c -> {
          try (PreparedStatement purge =
              c.prepareStatement("DELETE FROM provisioning_codes WHERE expires_ms < ?")) {
            purge.setLong(1, nowMs);
            purge.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM provisioning_codes WHERE code_hash = ? AND account_id = ?")) {
            ps.setBytes(1, codeHash);
            ps.setString(2, account.toString());
            return ps.executeUpdate() > 0;
          }
        });
  }
}
