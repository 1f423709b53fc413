package org.sotto.server.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every column of every table the server stores, with what kind of data it holds and why. {@code
 * DataInventoryTest} compares this with the live schema (after all migrations): an unclassified
 * column, or a classified one that no longer exists, fails the build. So nothing can be stored
 * without someone deciding here whether disclosure must show it. Immutable.
 */
public final class DataInventory {
  /** What a column holds. */
  public enum Category {
    /** A fact about a person, shown by {@code sotto server disclose}. */
    DISCLOSED(true),
    /** Names the owning account or device (a key into DISCLOSED rows), no fact of its own. */
    REFERENCE(false),
    /** Public keys and their signatures, which the account publishes to anyone who asks. */
    PUBLISHED_KEY_MATERIAL(false),
    /** A salted or unsalted hash of a random secret or code; useless without the secret. */
    SECRET_HASH(false),
    /**
     * A random access token the account set for sealed-sender delivery (derived client-side from
     * its profile key); proves possession, describes nobody.
     */
    ACCESS_TOKEN(false),
    /** Encrypted end to end; the server cannot read it. */
    OPAQUE_CIPHERTEXT(false),
    /** Envelope routing, kept only until the destination device acknowledges (at most 30 days). */
    TRANSIENT_DELIVERY(false),
    /** Bookkeeping: sequence numbers, counters, ids, sizes and times of non-personal records. */
    INTERNAL(false);

    private final boolean personFact;

    Category(boolean personFact) {
      this.personFact = personFact;
    }

    /** Whether columns of this kind state facts about a person. */
    public boolean personFact() {
      return personFact;
    }
  }

  private static final Map<String, Category> COLUMNS = new LinkedHashMap<>();

  private static void put(String table, Category category, String... columns) {
    for (String c : columns) {
      if (COLUMNS.put(table + "." + c, category) != null) {
        throw new IllegalStateException("classified twice: " + table + "." + c);
      }
    }
  }

  static {
    put("accounts", Category.DISCLOSED, "id", "handle", "created_day", "last_seen_day");
    put("accounts", Category.PUBLISHED_KEY_MATERIAL, "identity_key");
    put("accounts", Category.ACCESS_TOKEN, "uak");
    put("accounts", Category.OPAQUE_CIPHERTEXT, "profile");

    // The device count is the number of device rows of the account.
    put("devices", Category.DISCLOSED, "account_id", "device_id");
    put("devices", Category.INTERNAL, "registration_id", "dropped", "signed_id", "last_resort_id");
    put("devices", Category.SECRET_HASH, "secret_salt", "secret_hash");
    // The device name, encrypted by the client under a key derived from the account's identity key.
    put("devices", Category.OPAQUE_CIPHERTEXT, "name");
    put(
        "devices",
        Category.PUBLISHED_KEY_MATERIAL,
        "signed_key",
        "signed_sig",
        "last_resort_key",
        "last_resort_sig");

    put("ec_prekeys", Category.REFERENCE, "account_id", "device_id");
    put("ec_prekeys", Category.INTERNAL, "key_id");
    put("ec_prekeys", Category.PUBLISHED_KEY_MATERIAL, "public_key");

    put("kyber_prekeys", Category.REFERENCE, "account_id", "device_id");
    put("kyber_prekeys", Category.INTERNAL, "key_id");
    put("kyber_prekeys", Category.PUBLISHED_KEY_MATERIAL, "public_key", "signature");

    put("envelopes", Category.REFERENCE, "account_id", "device_id");
    put("envelopes", Category.INTERNAL, "seq");
    put(
        "envelopes",
        Category.TRANSIENT_DELIVERY,
        "guid",
        "type",
        "source_account",
        "source_device",
        "client_ts",
        "server_ts");
    put("envelopes", Category.OPAQUE_CIPHERTEXT, "content");

    // Attachments belong to no account: a random id, sizes and a creation time for expiry.
    put("attachments", Category.INTERNAL, "id", "length", "received", "created_ms");

    put("invites", Category.SECRET_HASH, "code_hash");
    put("invites", Category.INTERNAL, "created_ms");

    put("provisioning_codes", Category.SECRET_HASH, "code_hash");
    put("provisioning_codes", Category.REFERENCE, "account_id");
    put("provisioning_codes", Category.INTERNAL, "expires_ms");

    // SQLite's own AUTOINCREMENT bookkeeping (table name and highest envelope seq).
    put("sqlite_sequence", Category.INTERNAL, "name", "seq");
  }

  private DataInventory() {}

  /** {@code table.column} → category, for every stored column. */
  public static Map<String, Category> columns() {
    return Map.copyOf(COLUMNS);
  }
}
