package org.sotto.server.store.postgres;

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

/**
 * {@link KeyStore} on PostgreSQL. A one-time prekey is claimed with {@code DELETE … WHERE key IN
 * (SELECT … FOR UPDATE SKIP LOCKED) RETURNING}: concurrent claimers on any number of nodes each get
 * a different key, and no key is handed out twice. Thread-safe.
 */
public final class PostgresKeyStore implements KeyStore {
  private static final String TAKE_EC =
      """
      DELETE FROM ec_prekeys WHERE (account_id, device_id, key_id) IN (
        SELECT account_id, device_id, key_id FROM ec_prekeys WHERE account_id = ? AND device_id = ?
        ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING key_id, public_key
      """;

  private static final String TAKE_KYBER =
      """
      DELETE FROM kyber_prekeys WHERE (account_id, device_id, key_id) IN (
        SELECT account_id, device_id, key_id FROM kyber_prekeys WHERE account_id = ? AND device_id = ?
        ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING key_id, public_key, signature
      """;

  private final PostgresDatabase db;

  /** A store over {@code db}. */
  public PostgresKeyStore(PostgresDatabase db) {
    this.db = db;
  }

  @Override
  public void upload(
      Address device,
      List<PreKey> preKeys,
      List<KyberPreKey> kyberPreKeys,
      SignedPreKey signedPreKey,
      KyberPreKey lastResortKyberPreKey) {
    db.transaction(
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
              setDevice(ps, 4, device);
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
              setDevice(ps, 4, device);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  private static void setDevice(PreparedStatement ps, int index, Address device)
      throws SQLException {
    ps.setString(index, device.account().toString());
    ps.setInt(index + 1, device.device().value());
  }

  /** Adds one-time prekeys, replacing ones with the same id, inside the caller's transaction. */
  static void insertPreKeys(
      Connection c, Address device, List<PreKey> preKeys, List<KyberPreKey> kyberPreKeys)
      throws SQLException {
    if (!preKeys.isEmpty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              INSERT INTO ec_prekeys (account_id, device_id, key_id, public_key) VALUES (?, ?, ?, ?)
              ON CONFLICT (account_id, device_id, key_id) DO UPDATE SET public_key = EXCLUDED.public_key
              """)) {
        for (PreKey k : preKeys) {
          setDevice(ps, 1, device);
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
              INSERT INTO kyber_prekeys (account_id, device_id, key_id, public_key, signature)
              VALUES (?, ?, ?, ?, ?)
              ON CONFLICT (account_id, device_id, key_id)
              DO UPDATE SET public_key = EXCLUDED.public_key, signature = EXCLUDED.signature
              """)) {
        for (KyberPreKey k : kyberPreKeys) {
          setDevice(ps, 1, device);
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
    return db.autoCommit(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  SELECT (SELECT count(*) FROM ec_prekeys WHERE account_id = ? AND device_id = ?),
                         (SELECT count(*) FROM kyber_prekeys WHERE account_id = ? AND device_id = ?)
                  """)) {
            setDevice(ps, 1, device);
            setDevice(ps, 3, device);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new PreKeyCount(rs.getInt(1), rs.getInt(2));
            }
          }
        });
  }

  @Override
  public Optional<TakenKeys> take(Address device) {
    return db.transaction(
        c -> {
          KyberPreKey lastResort;
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  SELECT last_resort_id, last_resort_key, last_resort_sig FROM devices
                  WHERE account_id = ? AND device_id = ?
                  """)) {
            setDevice(ps, 1, device);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              lastResort = new KyberPreKey(rs.getInt(1), rs.getBytes(2), rs.getBytes(3));
            }
          }
          PreKey preKey = null;
          try (PreparedStatement ps = c.prepareStatement(TAKE_EC)) {
            setDevice(ps, 1, device);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                preKey = new PreKey(rs.getInt(1), rs.getBytes(2));
              }
            }
          }
          KyberPreKey kyber = lastResort;
          try (PreparedStatement ps = c.prepareStatement(TAKE_KYBER)) {
            setDevice(ps, 1, device);
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
