package org.sotto.client.storage;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The account's contacts: handle (in the clear, for lookups), profile name, unidentified access key
 * and profile key (encrypted, bound to the contact and the column). Thread-safe.
 */
public final class ContactStore {
  private static final String TABLE = "contacts";

  private final LocalStore store;

  ContactStore(LocalStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Stores {@code contact}, replacing what was known about that account. */
  public void put(Contact contact) throws StorageException {
    Objects.requireNonNull(contact, "contact");
    String id = contact.accountId().toString();
    FieldCipher cipher = store.cipher();
    byte[] name =
        contact
            .profileName()
            .map(
                n ->
                    cipher.encrypt(n.getBytes(StandardCharsets.UTF_8), row("profile_name_enc", id)))
            .orElse(null);
    byte[] uak = null;
    if (contact.unidentifiedAccessKey().isPresent()) {
      byte[] raw = contact.unidentifiedAccessKey().get().bytes();
      uak = cipher.encrypt(raw, row("uak_enc", id));
      Arrays.fill(raw, (byte) 0);
    }
    byte[] uakEnc = uak;
    store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  INSERT INTO contacts (account_id, handle, profile_name_enc, uak_enc)
                  VALUES (?, ?, ?, ?)
                  ON CONFLICT (account_id) DO UPDATE SET handle = excluded.handle,
                    profile_name_enc = excluded.profile_name_enc, uak_enc = excluded.uak_enc
                  """)) {
            ps.setString(1, id);
            ps.setString(2, contact.handle().orElse(null));
            ps.setBytes(3, name);
            ps.setBytes(4, uakEnc);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The contact with this account id, if known. */
  public Optional<Contact> get(UUID accountId) throws StorageException {
    Objects.requireNonNull(accountId, "accountId");
    return one("account_id", accountId.toString());
  }

  /** The contact with this handle, if known. */
  public Optional<Contact> byHandle(String handle) throws StorageException {
    Objects.requireNonNull(handle, "handle");
    return one("handle", handle);
  }

  /** Every contact, ordered by account id. */
  public List<Contact> all() throws StorageException {
    return store.transaction(
        c -> {
          List<Contact> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT account_id, handle, profile_name_enc, uak_enc FROM contacts"
                          + " ORDER BY account_id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(read(rs));
            }
          }
          return out;
        });
  }

  /** Forgets a contact; returns whether it was known. */
  public boolean remove(UUID accountId) throws StorageException {
    Objects.requireNonNull(accountId, "accountId");
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM contacts WHERE account_id = ?")) {
            ps.setString(1, accountId.toString());
            boolean removed = ps.executeUpdate() == 1;
            store.records().remove(profileKeyCacheKey(accountId.toString()));
            return removed;
          }
        });
  }

  // ---- profile keys ----

  /**
   * The key of {@code id}'s profile key in the store's {@link RecordCache}; an empty value there
   * means "no profile key".
   */
  private static String profileKeyCacheKey(String id) {
    return RecordCache.key("contacts.profile_key", id);
  }

  /**
   * The profile key {@code accountId} shared with us, if any. Every send reads it (sealed or not),
   * and every received message compares it, so the answer is kept in the store's {@link
   * RecordCache} (forgotten on any rollback).
   */
  public Optional<SecretBytes> profileKey(UUID accountId) throws StorageException {
    Objects.requireNonNull(accountId, "accountId");
    String id = accountId.toString();
    return store.transaction(
        c -> {
          byte[] cached = store.records().get(profileKeyCacheKey(id));
          if (cached != null) {
            Optional<SecretBytes> hit =
                cached.length == 0 ? Optional.empty() : Optional.of(SecretBytes.copyOf(cached));
            Arrays.fill(cached, (byte) 0);
            return hit;
          }
          try (PreparedStatement ps =
              c.prepareStatement("SELECT profile_key_enc FROM contacts WHERE account_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              byte[] enc = rs.next() ? rs.getBytes(1) : null;
              if (enc == null) {
                store.records().put(profileKeyCacheKey(id), new byte[0]);
                return Optional.<SecretBytes>empty();
              }
              byte[] raw = store.cipher().decrypt(enc, row("profile_key_enc", id), TABLE);
              SecretBytes key = SecretBytes.copyOf(raw);
              store.records().put(profileKeyCacheKey(id), raw);
              Arrays.fill(raw, (byte) 0);
              return Optional.of(key);
            }
          }
        });
  }

  /**
   * Stores the profile key {@code accountId} shared and the delivery token derived from it,
   * replacing older ones; adds the contact (without handle) if it is new. Joins an enclosing
   * transaction.
   */
  public void putProfileKey(UUID accountId, SecretBytes profileKey, SecretBytes accessKey)
      throws StorageException {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(profileKey, "profileKey");
    Objects.requireNonNull(accessKey, "accessKey");
    String id = accountId.toString();
    FieldCipher cipher = store.cipher();
    byte[] rawKey = profileKey.bytes();
    byte[] rawUak = accessKey.bytes();
    byte[] keyEnc = cipher.encrypt(rawKey, row("profile_key_enc", id));
    byte[] uakEnc = cipher.encrypt(rawUak, row("uak_enc", id));
    Arrays.fill(rawUak, (byte) 0);
    try {
      store.transaction(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    """
                  INSERT INTO contacts (account_id, profile_key_enc, uak_enc) VALUES (?, ?, ?)
                  ON CONFLICT (account_id) DO UPDATE SET
                    profile_key_enc = excluded.profile_key_enc, uak_enc = excluded.uak_enc
                  """)) {
              ps.setString(1, id);
              ps.setBytes(2, keyEnc);
              ps.setBytes(3, uakEnc);
              ps.executeUpdate();
            }
            store.records().put(profileKeyCacheKey(id), rawKey);
            return null;
          });
    } finally {
      Arrays.fill(rawKey, (byte) 0);
    }
  }

  /**
   * Forgets the profile key, delivery token and profile name of {@code accountId} (the server
   * refused the token: the contact changed keys). Returns whether a key was known.
   */
  public boolean forgetProfileKey(UUID accountId) throws StorageException {
    Objects.requireNonNull(accountId, "accountId");
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE contacts SET profile_key_enc = NULL, uak_enc = NULL,"
                      + " profile_name_enc = NULL"
                      + " WHERE account_id = ? AND profile_key_enc IS NOT NULL")) {
            ps.setString(1, accountId.toString());
            boolean forgot = ps.executeUpdate() == 1;
            store.records().put(profileKeyCacheKey(accountId.toString()), new byte[0]);
            return forgot;
          }
        });
  }

  private Optional<Contact> one(String column, String value) throws StorageException {
    // column is one of this class's constants, never caller input.
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT account_id, handle, profile_name_enc, uak_enc FROM contacts WHERE "
                      + column
                      + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  private Contact read(ResultSet rs) throws SQLException, StorageException {
    String id = rs.getString(1);
    String handle = rs.getString(2);
    byte[] nameEnc = rs.getBytes(3);
    byte[] uakEnc = rs.getBytes(4);
    FieldCipher cipher = store.cipher();
    Optional<String> name = Optional.empty();
    if (nameEnc != null) {
      name =
          Optional.of(
              new String(
                  cipher.decrypt(nameEnc, row("profile_name_enc", id), TABLE),
                  StandardCharsets.UTF_8));
    }
    Optional<SecretBytes> uak = Optional.empty();
    if (uakEnc != null) {
      byte[] raw = cipher.decrypt(uakEnc, row("uak_enc", id), TABLE);
      uak = Optional.of(SecretBytes.copyOf(raw));
      Arrays.fill(raw, (byte) 0);
    }
    UUID accountId;
    try {
      accountId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new CorruptStoreException("a stored contact id does not parse");
    }
    return new Contact(accountId, Optional.ofNullable(handle), name, uak);
  }

  private static byte[] row(String column, String accountId) {
    return FieldCipher.rowId(TABLE, column, accountId);
  }
}
