package org.sotto.client.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.groups.SenderKeyRecord;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SignalProtocolStore;
import org.sotto.protocol.state.SignedPreKeyRecord;

/**
 * The protocol's stores on the account's {@link LocalStore}: our identity and registration id,
 * trusted identities, sessions, the three kinds of prekey and sender keys. Every record is stored
 * serialized and encrypted, bound to its row. Behaves as the protocol's in-memory stores do:
 * identities are trusted on first use ({@link #saveIdentity} replaces, which is how a user trusts a
 * changed key; the direction is not considered), loads return fresh copies, and a used Kyber prekey
 * is deleted unless it is a last-resort key.
 *
 * <p>The protocol's interfaces declare no storage failures, so I/O errors and records that fail
 * authentication surface as {@link UncheckedStorageException} (wrapping a {@link StorageException}
 * or {@link CorruptStoreException}); unknown prekey ids give {@link InvalidKeyException} as the
 * contract says.
 *
 * <p>Sessions, identities and sender keys, once read or written, are kept decrypted in the store's
 * {@link RecordCache} (forgotten on any rollback), so the loads a message makes skip the file.
 *
 * <p>Thread-safe (each call is one transaction on the store's connection); as with every protocol
 * store, callers serialize the operations on one session.
 */
public final class SqliteProtocolStore implements SignalProtocolStore {
  private static final String LOCAL_IDENTITY_TABLE = "local_identity";

  private final LocalStore store;
  private final FieldCipher cipher;
  private final RecordCache records;
  private final IdentityKeyPair identityKeyPair;
  private final int registrationId;

  private SqliteProtocolStore(LocalStore store, IdentityKeyPair identity, int registrationId) {
    this.store = store;
    this.cipher = store.cipher();
    this.records = store.records();
    this.identityKeyPair = identity;
    this.registrationId = registrationId;
  }

  /**
   * Stores our identity and registration id in a store that has none yet.
   *
   * @throws StorageException the store holds an identity already, or an I/O error
   */
  public static SqliteProtocolStore create(
      LocalStore store, IdentityKeyPair identity, int registrationId) throws StorageException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(identity, "identity");
    store.transaction(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT 1 FROM local_identity WHERE id = 1");
              ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              throw new StorageException("the local store has an identity already");
            }
          }
          byte[] serialized = identity.serialize();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO local_identity (id, registration_id, key_pair_enc) VALUES (1, ?, ?)")) {
            ps.setInt(1, registrationId);
            ps.setBytes(2, store.cipher().encrypt(serialized, identityRow(registrationId)));
            ps.executeUpdate();
          } finally {
            Arrays.fill(serialized, (byte) 0);
          }
          return null;
        });
    return new SqliteProtocolStore(store, identity, registrationId);
  }

  /**
   * The protocol store of {@code store}, or empty if no identity was stored yet.
   *
   * @throws CorruptStoreException the stored identity fails authentication or does not parse
   */
  public static Optional<SqliteProtocolStore> load(LocalStore store) throws StorageException {
    Objects.requireNonNull(store, "store");
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT registration_id, key_pair_enc FROM local_identity WHERE id = 1");
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            int registrationId = rs.getInt(1);
            byte[] serialized =
                store
                    .cipher()
                    .decrypt(rs.getBytes(2), identityRow(registrationId), LOCAL_IDENTITY_TABLE);
            try {
              return Optional.of(
                  new SqliteProtocolStore(
                      store, IdentityKeyPair.fromBytes(serialized), registrationId));
            } catch (InvalidKeyException e) {
              throw new CorruptStoreException("the stored identity key pair does not parse");
            } finally {
              Arrays.fill(serialized, (byte) 0);
            }
          }
        });
  }

  /** The registration id is part of the row identity, so it cannot be changed alone. */
  private static byte[] identityRow(int registrationId) {
    return FieldCipher.rowId(LOCAL_IDENTITY_TABLE, "key_pair_enc", 1, registrationId);
  }

  // ---- identities ----

  @Override
  public IdentityKeyPair getIdentityKeyPair() {
    return identityKeyPair;
  }

  @Override
  public int getLocalRegistrationId() {
    return registrationId;
  }

  @Override
  public boolean saveIdentity(ProtocolAddress address, IdentityKey identityKey) {
    Objects.requireNonNull(identityKey, "identityKey");
    return run(
        c -> {
          IdentityKey old = readIdentity(c, address);
          if (identityKey.equals(old)) {
            // Every encryption and decryption saves the peer's key; most often it is unchanged,
            // and rewriting it would cost a write in every message's commit.
            return false;
          }
          put(
              c,
              "identities",
              "identity_key_enc",
              identityKey.serialize(),
              address.name(),
              address.deviceId());
          // Joins this transaction: the key and its ledger entry are stored together.
          new IdentityLedger(store).stored(address.name(), identityKey, Instant.now());
          return old != null;
        });
  }

  /**
   * The trusted identity key of every other account (the name of its protocol address), taken from
   * its lowest device id; ordered by name.
   */
  public Map<String, IdentityKey> trustedIdentities() throws StorageException {
    return store.transaction(
        c -> {
          Map<String, IdentityKey> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, device_id, identity_key_enc FROM identities"
                          + " ORDER BY name, device_id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String name = rs.getString(1);
              int device = rs.getInt(2);
              if (out.containsKey(name)) {
                continue;
              }
              byte[] b =
                  cipher.decrypt(
                      rs.getBytes(3),
                      FieldCipher.rowId("identities", "identity_key_enc", name, device),
                      "identities");
              try {
                out.put(name, IdentityKey.fromBytes(b));
              } catch (InvalidKeyException e) {
                throw new CorruptStoreException("a stored identity key does not parse");
              }
            }
          }
          return out;
        });
  }

  @Override
  public boolean isTrustedIdentity(
      ProtocolAddress address, IdentityKey identityKey, Direction direction) {
    IdentityKey known = getIdentity(address);
    return known == null || known.equals(identityKey);
  }

  @Override
  public IdentityKey getIdentity(ProtocolAddress address) {
    return run(c -> readIdentity(c, address));
  }

  private IdentityKey readIdentity(Connection c, ProtocolAddress address)
      throws SQLException, StorageException {
    byte[] b = get(c, "identities", "identity_key_enc", address.name(), address.deviceId());
    if (b == null) {
      return null;
    }
    try {
      return IdentityKey.fromBytes(b);
    } catch (InvalidKeyException e) {
      throw new CorruptStoreException("a stored identity key does not parse");
    }
  }

  // ---- one-time prekeys ----

  @Override
  public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyException {
    byte[] b = run(c -> get(c, "prekeys", "record_enc", preKeyId));
    if (b == null) {
      throw new InvalidKeyException("no prekey with id " + preKeyId);
    }
    return parse(() -> PreKeyRecord.fromBytes(b), "prekeys");
  }

  @Override
  public void storePreKey(int preKeyId, PreKeyRecord record) {
    byte[] b = record.serialize();
    run(c -> put(c, "prekeys", "record_enc", b, preKeyId));
  }

  @Override
  public boolean containsPreKey(int preKeyId) {
    return run(c -> exists(c, "prekeys", preKeyId));
  }

  @Override
  public void removePreKey(int preKeyId) {
    run(c -> delete(c, "prekeys", preKeyId));
  }

  // ---- signed prekeys ----

  @Override
  public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyException {
    byte[] b = run(c -> get(c, "signed_prekeys", "record_enc", signedPreKeyId));
    if (b == null) {
      throw new InvalidKeyException("no signed prekey with id " + signedPreKeyId);
    }
    return parse(() -> SignedPreKeyRecord.fromBytes(b), "signed_prekeys");
  }

  @Override
  public List<SignedPreKeyRecord> loadSignedPreKeys() {
    List<byte[]> all = run(c -> getAll(c, "signed_prekeys"));
    List<SignedPreKeyRecord> out = new ArrayList<>(all.size());
    for (byte[] b : all) {
      out.add(parse(() -> SignedPreKeyRecord.fromBytes(b), "signed_prekeys"));
    }
    return out;
  }

  @Override
  public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
    byte[] b = record.serialize();
    run(c -> put(c, "signed_prekeys", "record_enc", b, signedPreKeyId));
  }

  @Override
  public boolean containsSignedPreKey(int signedPreKeyId) {
    return run(c -> exists(c, "signed_prekeys", signedPreKeyId));
  }

  @Override
  public void removeSignedPreKey(int signedPreKeyId) {
    run(c -> delete(c, "signed_prekeys", signedPreKeyId));
  }

  // ---- Kyber prekeys ----

  @Override
  public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyException {
    byte[] b = run(c -> get(c, "kyber_prekeys", "record_enc", kyberPreKeyId));
    if (b == null) {
      throw new InvalidKeyException("no Kyber prekey with id " + kyberPreKeyId);
    }
    return parse(() -> KyberPreKeyRecord.fromBytes(b), "kyber_prekeys");
  }

  @Override
  public List<KyberPreKeyRecord> loadKyberPreKeys() {
    List<byte[]> all = run(c -> getAll(c, "kyber_prekeys"));
    List<KyberPreKeyRecord> out = new ArrayList<>(all.size());
    for (byte[] b : all) {
      out.add(parse(() -> KyberPreKeyRecord.fromBytes(b), "kyber_prekeys"));
    }
    return out;
  }

  @Override
  public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
    byte[] b = record.serialize();
    run(c -> put(c, "kyber_prekeys", "record_enc", b, kyberPreKeyId));
  }

  @Override
  public boolean containsKyberPreKey(int kyberPreKeyId) {
    return run(c -> exists(c, "kyber_prekeys", kyberPreKeyId));
  }

  @Override
  public void markKyberPreKeyUsed(int kyberPreKeyId) {
    run(
        c -> {
          byte[] b = get(c, "kyber_prekeys", "record_enc", kyberPreKeyId);
          if (b == null) {
            return null;
          }
          KyberPreKeyRecord record;
          try {
            record = KyberPreKeyRecord.fromBytes(b);
          } catch (InvalidRecordException e) {
            throw new CorruptStoreException("a stored record in kyber_prekeys does not parse");
          }
          if (!record.lastResort()) {
            delete(c, "kyber_prekeys", kyberPreKeyId);
          }
          return null;
        });
  }

  // ---- sessions ----

  @Override
  public SessionRecord loadSession(ProtocolAddress address) {
    byte[] b = run(c -> get(c, "sessions", "record_enc", address.name(), address.deviceId()));
    return b == null ? null : parse(() -> SessionRecord.fromBytes(b), "sessions");
  }

  @Override
  public List<Integer> getSubDeviceSessions(String name) {
    Objects.requireNonNull(name, "name");
    return run(
        c -> {
          List<Integer> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT device_id FROM sessions WHERE name = ? AND device_id != 1"
                      + " ORDER BY device_id")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getInt(1));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void storeSession(ProtocolAddress address, SessionRecord record) {
    byte[] b = record.serialize();
    run(c -> put(c, "sessions", "record_enc", b, address.name(), address.deviceId()));
  }

  @Override
  public boolean containsSession(ProtocolAddress address) {
    SessionRecord r = loadSession(address);
    return r != null && r.hasCurrentState();
  }

  @Override
  public void deleteSession(ProtocolAddress address) {
    run(c -> delete(c, "sessions", address.name(), address.deviceId()));
  }

  @Override
  public void deleteAllSessions(String name) {
    Objects.requireNonNull(name, "name");
    run(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE name = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
          }
          // Which devices had sessions is not known here; forgetting all is simple and rare.
          records.clear();
          return null;
        });
  }

  // ---- sender keys ----

  @Override
  public void storeSenderKey(ProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(distributionId, "distributionId");
    byte[] b = record.serialize();
    run(
        c ->
            put(
                c,
                "sender_keys",
                "record_enc",
                b,
                sender.name(),
                sender.deviceId(),
                distributionId.toString()));
  }

  @Override
  public SenderKeyRecord loadSenderKey(ProtocolAddress sender, UUID distributionId) {
    Objects.requireNonNull(distributionId, "distributionId");
    byte[] b =
        run(
            c ->
                get(
                    c,
                    "sender_keys",
                    "record_enc",
                    sender.name(),
                    sender.deviceId(),
                    distributionId.toString()));
    return b == null ? null : parse(() -> SenderKeyRecord.fromBytes(b), "sender_keys");
  }

  @Override
  public String toString() {
    return "SqliteProtocolStore[" + store + "]";
  }

  // ---- helpers: tables and columns are constants of this class, values are always bound ----

  /** Key columns of each table, in the order their values are passed and bound into the row id. */
  private static String[] keyColumns(String table) {
    return switch (table) {
      case "identities", "sessions" -> new String[] {"name", "device_id"};
      case "sender_keys" -> new String[] {"name", "device_id", "distribution_id"};
      case "prekeys", "signed_prekeys", "kyber_prekeys" -> new String[] {"id"};
      default -> throw new IllegalArgumentException("unknown table " + table);
    };
  }

  /** The WHERE clause of each table's key, built once (building it per call showed in profiles). */
  private static final Map<String, String> WHERE =
      Map.of(
          "identities", whereOf("identities"),
          "sessions", whereOf("sessions"),
          "sender_keys", whereOf("sender_keys"),
          "prekeys", whereOf("prekeys"),
          "signed_prekeys", whereOf("signed_prekeys"),
          "kyber_prekeys", whereOf("kyber_prekeys"));

  private static String where(String table) {
    String w = WHERE.get(table);
    if (w == null) {
      throw new IllegalArgumentException("unknown table " + table);
    }
    return w;
  }

  private static String whereOf(String table) {
    return String.join(" AND ", Arrays.stream(keyColumns(table)).map(k -> k + " = ?").toList());
  }

  private static void bind(PreparedStatement ps, int from, Object... key) throws SQLException {
    for (int i = 0; i < key.length; i++) {
      ps.setObject(from + i, key[i]);
    }
  }

  /** Whether {@code table}'s records are kept in the store's {@link RecordCache}. */
  private static boolean cached(String table) {
    return switch (table) {
      case "sessions", "identities", "sender_keys" -> true;
      default -> false;
    };
  }

  private byte[] get(Connection c, String table, String column, Object... key)
      throws SQLException, StorageException {
    String cacheKey = cached(table) ? RecordCache.key(table, key) : null;
    if (cacheKey != null) {
      byte[] hit = records.get(cacheKey);
      if (hit != null) {
        return hit;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE " + where(table))) {
      bind(ps, 1, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        byte[] plaintext =
            cipher.decrypt(rs.getBytes(1), FieldCipher.rowId(table, column, key), table);
        if (cacheKey != null) {
          records.put(cacheKey, plaintext);
        }
        return plaintext;
      }
    }
  }

  private List<byte[]> getAll(Connection c, String table) throws SQLException, StorageException {
    List<byte[]> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT id, record_enc FROM " + table + " ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            cipher.decrypt(
                rs.getBytes(2), FieldCipher.rowId(table, "record_enc", rs.getInt(1)), table));
      }
    }
    return out;
  }

  private Void put(Connection c, String table, String column, byte[] plaintext, Object... key)
      throws SQLException {
    String[] keys = keyColumns(table);
    String sql =
        "INSERT INTO "
            + table
            + " ("
            + String.join(", ", keys)
            + ", "
            + column
            + ") VALUES ("
            + "?, ".repeat(keys.length)
            + "?) ON CONFLICT ("
            + String.join(", ", keys)
            + ") DO UPDATE SET "
            + column
            + " = excluded."
            + column;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, 1, key);
      ps.setBytes(key.length + 1, cipher.encrypt(plaintext, FieldCipher.rowId(table, column, key)));
      ps.executeUpdate();
    }
    if (cached(table)) {
      records.put(RecordCache.key(table, key), plaintext);
    }
    return null;
  }

  private static boolean exists(Connection c, String table, Object... key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM " + table + " WHERE " + where(table))) {
      bind(ps, 1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private Void delete(Connection c, String table, Object... key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + table + " WHERE " + where(table))) {
      bind(ps, 1, key);
      ps.executeUpdate();
    }
    if (cached(table)) {
      records.remove(RecordCache.key(table, key));
    }
    return null;
  }

  private <T> T run(LocalStore.Work<T> work) {
    try {
      return store.transaction(work);
    } catch (StorageException e) {
      throw new UncheckedStorageException(e);
    }
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse() throws InvalidRecordException;
  }

  private static <T> T parse(Parser<T> parser, String table) {
    try {
      return parser.parse();
    } catch (InvalidRecordException e) {
      throw new UncheckedStorageException(
          new CorruptStoreException("a stored record in " + table + " does not parse"));
    }
  }
}
