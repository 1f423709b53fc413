package org.sotto.client.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.sotto.protocol.IdentityKey;

/**
 * What the store remembers about each trusted identity key besides the key itself: when it was
 * stored, whether the user verified its safety number, and whether the account showed another key
 * since. Kept as one named setting per account (encrypted like every setting), so that no schema
 * change is needed. Each entry names the key it speaks of by hash: an entry for another key than
 * the stored one is stale. Thread-safe (every call is one store transaction).
 */
public final class IdentityLedger {
  /** Prefix of the setting names; the account's name follows. */
  private static final String PREFIX = "identity-ledger.";

  /** Version tag of the stored form, so a later format can be told apart. */
  private static final String FORMAT = "v1";

  private final LocalStore store;

  /** The ledger on {@code store}. */
  public IdentityLedger(LocalStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * What is known about one identity key.
   *
   * @param addedAt when the key was first stored
   * @param keyHash SHA-256 of the key's serialized form
   * @param verified the user compared the safety number of this key
   * @param changeSeen the account showed a different key since this one was stored
   */
  public record Entry(Instant addedAt, String keyHash, boolean verified, boolean changeSeen) {
    /** Checks for nulls. */
    public Entry {
      Objects.requireNonNull(addedAt, "addedAt");
      Objects.requireNonNull(keyHash, "keyHash");
    }

    /** Whether this entry speaks of {@code key}. */
    public boolean isFor(IdentityKey key) {
      return keyHash.equals(hash(key));
    }
  }

  /** The entry of {@code name}, or empty (never stored, or stored by an older client). */
  public Optional<Entry> get(String name) throws StorageException {
    Optional<byte[]> raw = store.setting(PREFIX + name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    String[] f = new String(raw.get(), StandardCharsets.UTF_8).split("\\|");
    if (f.length != 5 || !FORMAT.equals(f[0])) {
      throw new CorruptStoreException("a stored identity ledger entry does not parse");
    }
    try {
      return Optional.of(
          new Entry(
              Instant.ofEpochMilli(Long.parseLong(f[1])),
              f[2],
              Boolean.parseBoolean(f[3]),
              Boolean.parseBoolean(f[4])));
    } catch (NumberFormatException e) {
      throw new CorruptStoreException("a stored identity ledger entry does not parse");
    }
  }

  /**
   * Records that {@code key} is now the trusted key of {@code name}: a new entry (unverified) when
   * there was none or it spoke of another key; unchanged otherwise (another device, same key).
   */
  public void stored(String name, IdentityKey key, Instant now) throws StorageException {
    Optional<Entry> old = get(name);
    if (old.isEmpty() || !old.get().isFor(key)) {
      put(name, new Entry(now, hash(key), false, false));
    }
  }

  /** Marks the entry of {@code key} verified (creating it if needed) and clears a seen change. */
  public void verified(String name, IdentityKey key, Instant now) throws StorageException {
    Optional<Entry> old = get(name).filter(e -> e.isFor(key));
    put(name, new Entry(old.map(Entry::addedAt).orElse(now), hash(key), true, false));
  }

  /** Records that {@code name} showed a key other than the trusted one; no-op without an entry. */
  public void changeSeen(String name) throws StorageException {
    Optional<Entry> old = get(name);
    if (old.isPresent() && !old.get().changeSeen()) {
      Entry e = old.get();
      put(name, new Entry(e.addedAt(), e.keyHash(), e.verified(), true));
    }
  }

  private void put(String name, Entry e) throws StorageException {
    String text =
        String.join(
            "|",
            FORMAT,
            Long.toString(e.addedAt().toEpochMilli()),
            e.keyHash(),
            Boolean.toString(e.verified()),
            Boolean.toString(e.changeSeen()));
    store.putSetting(PREFIX + name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of the key's serialized form, in hex. */
  static String hash(IdentityKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.serialize()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
