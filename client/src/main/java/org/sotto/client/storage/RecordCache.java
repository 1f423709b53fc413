package org.sotto.client.storage;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decrypted records of the busiest tables (sessions, identities, sender keys, contacts' profile
 * keys) as the store's open transaction sees them, so that a load skips the SQL read and the
 * AES-GCM decryption. A send or a received message loads the same session and identity several
 * times; each load from the file cost a query and a decryption.
 *
 * <p>Entries are written only after the row was written, and the whole cache is forgotten whenever
 * anything is rolled back (a failed unit, a failed group commit) or the store closes, so it never
 * holds a value the database does not. Bounded, least recently used first out; evicted and
 * forgotten values are wiped. Values are copied in and out, so callers cannot alter them.
 * Thread-safe.
 */
final class RecordCache {
  /**
   * Records kept at most. A client talks to a few hundred devices at a time at most; a session
   * record is under 1 KiB without SPQR (about 6 KiB with it), so the cache stays under a few MiB.
   */
  static final int MAX_ENTRIES = 1024;

  private final LinkedHashMap<String, byte[]> entries =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
          if (size() > MAX_ENTRIES) {
            Arrays.fill(eldest.getValue(), (byte) 0);
            return true;
          }
          return false;
        }
      };

  /** The cache key of a row: its table and key values, unambiguously separated. */
  static String key(String table, Object... keyParts) {
    StringBuilder sb = new StringBuilder(table.length() + 48).append(table);
    for (Object k : keyParts) {
      sb.append('\u0000').append(k);
    }
    return sb.toString();
  }

  /** A copy of the cached plaintext of {@code key}, or null if not cached. */
  synchronized byte[] get(String key) {
    byte[] v = entries.get(key);
    return v == null ? null : v.clone();
  }

  /** Caches (a copy of) the plaintext just written to or read from the row {@code key}. */
  synchronized void put(String key, byte[] plaintext) {
    byte[] old = entries.put(key, plaintext.clone());
    if (old != null) {
      Arrays.fill(old, (byte) 0);
    }
  }

  /** Forgets the row {@code key} (it was deleted). */
  synchronized void remove(String key) {
    byte[] old = entries.remove(key);
    if (old != null) {
      Arrays.fill(old, (byte) 0);
    }
  }

  /** Forgets everything: a rollback may have undone any cached write. */
  synchronized void clear() {
    for (Iterator<byte[]> it = entries.values().iterator(); it.hasNext(); ) {
      Arrays.fill(it.next(), (byte) 0);
      it.remove();
    }
  }

  /** Entries cached now (for tests). */
  synchronized int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "RecordCache[" + size() + " entries]";
  }
}
