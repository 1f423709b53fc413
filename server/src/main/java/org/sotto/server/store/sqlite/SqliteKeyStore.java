package org.sotto.server.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.sotto.api.Address;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.PreKeyCount;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.server.store.KeyStore;

/** {@link KeyStore} on SQLite. Thread-safe. */
public final class SqliteKeyStore implements KeyStore {
  private final SqliteDatabase db;

  /** A store over {@code db}. */
  public SqliteKeyStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void upload(
      Address device,
      List<PreKey> preKeys,
      List<KyberPreKey> kyberPreKeys,
      SignedPreKey signedPreKey,
      KyberPreKey lastResortKyberPreKey) {
    db.write(
        c -> {
          insertPreKeys(c, device, preKeys, kyberPreKeys);
          if (signedPreKey != null) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    """
                    UPDATE devices SET signed_id = ?, signed_key = ?, signed_sig = ?
                    WHERE account_id = ? AND device_id = ?
                    """)) {
              ps.setInt(1, signedPreKey.keyId());
              ps.setBytes(2, signedPreKey.publicKey());
              ps.setBytes(3, signedPreKey.signature());
              ps.setString(4, device.account().toString());
              ps.setInt(5, device.device().value());
              ps.executeUpdate();
            }
          }
          if (lastResortKyberPreKey != null) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    """
                    UPDATE devices SET last_resort_id = ?, last_resort_key = ?, last_resort_sig = ?
                    WHERE account_id = ? AND device_id = ?
                    """)) {
              ps.setInt(1, lastResortKyberPreKey.keyId());
              ps.setBytes(2, lastResortKyberPreKey.publicKey());
              ps.setBytes(3, lastResortKyberPreKey.signature());
              ps.setString(4, device.account().toString());
              ps.setInt(5, device.device().value());
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  static void insertPreKeys(
      Connection c, Address device, List<PreKey> preKeys, List<KyberPreKey> kyberPreKeys)
      throws SQLException {
    if (!preKeys.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              INSERT OR REPLACE INTO ec_prekeys (account_id, device_id, key_id, public_key)
              VALUES (?, ?, ?, ?)
              """)) {
        for (PreKey k : preKeys) {
          ps.setString(1, device.account().toString());
          ps.setInt(2, device.device().value());
          ps.setInt(3, k.keyId());
          ps.setBytes(4, k.publicKey());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!kyberPreKeys.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              INSERT OR REPLACE INTO kyber_prekeys (account_id, device_id, key_id, public_key, signature)
              VALUES (?, ?, ?, ?, ?)
              """)) {
        for (KyberPreKey k : kyberPreKeys) {
          ps.setString(1, device.account().toString());
          ps.setInt(2, device.device().value());
          ps.setInt(3, k.keyId());
          ps.setBytes(4, k.publicKey());
          ps.setBytes(5, k.signature());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  @Override
  public PreKeyCount count(Address device) {
    return db.read(
        c ->
            new PreKeyCount(
                count(
                    c,
                    "SELECT count(*) FROM ec_prekeys WHERE account_id = ? AND device_id = ?",
                    device),
                count(
                    c,
                    "SELECT count(*) FROM kyber_prekeys WHERE account_id = ? AND device_id = ?",
                    device)));
  }

  private static int count(Connection c, String sql, Address device) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, device.account().toString());
      ps.setInt(2, device.device().value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Override
  public Optional<TakenKeys> take(Address device) {
    return db.write(
        c -> {
          KyberPreKey lastResort;
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  SELECT last_resort_id, last_resort_key, last_resort_sig FROM devices
                  WHERE account_id = ? AND device_id = ?
                  """)) {
            ps.setString(1, device.account().toString());
            ps.setInt(2, device.device().value());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              lastResort = new KyberPreKey(rs.getInt(1), rs.getBytes(2), rs.getBytes(3));
            }
          }
          PreKey preKey = null;
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  DELETE FROM ec_prekeys WHERE rowid = (
                    SELECT rowid FROM ec_prekeys WHERE account_id = ? AND device_id = ?
                    ORDER BY key_id LIMIT 1)
                  RETURNING key_id, public_key
                  """)) {
            ps.setString(1, device.account().toString());
            ps.setInt(2, device.device().value());
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                preKey = new PreKey(rs.getInt(1), rs.getBytes(2));
              }
            }
          }
          KyberPreKey kyber = lastResort;
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  DELETE FROM kyber_prekeys WHERE rowid = (
                    SELECT rowid FROM kyber_prekeys WHERE account_id = ? AND device_id = ?
                    ORDER BY key_id LIMIT 1)
                  RETURNING key_id, public_key, signature
                  """)) {
            ps.setString(1, device.account().toString());
            ps.setInt(2, device.device().value());
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                kyber = new KyberPreKey(rs.getInt(1), rs.getBytes(2), rs.getBytes(3));
              }
            }
          }
          return Optional.of(new TakenKeys(preKey, kyber));
        });
  }
}
