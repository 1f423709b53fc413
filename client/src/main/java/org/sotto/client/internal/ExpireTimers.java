package org.sotto.client.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.sotto.client.storage.HistoryStore;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.StorageException;

/**
 * The disappearing-message timer of each conversation, kept as an encrypted store setting. A
 * message stored while its conversation has a timer disappears that long after this device stored
 * it (for our own messages: when we sent them; for received ones: when they arrived), so a wrong
 * clock on the sender's side cannot make messages vanish early or live forever. Thread-safe.
 */
final class ExpireTimers {
  private static final String SETTING = "expireTimer.";

  private final LocalStore store;

  ExpireTimers(LocalStore store) {
    this.store = store;
  }

  /** The timer of {@code conversation} (an account id); zero when off. */
  Duration get(String conversation) throws StorageException {
    Optional<byte[]> v = store.setting(SETTING + conversation);
    if (v.isEmpty() || v.get().length != Long.BYTES) {
      return Duration.ZERO;
    }
    return Duration.ofSeconds(ByteBuffer.wrap(v.get()).getLong());
  }

  /** Sets the timer of {@code conversation}; joins an enclosing transaction. */
  void set(String conversation, long seconds) throws StorageException {
    store.putSetting(
        SETTING + conversation, ByteBuffer.allocate(Long.BYTES).putLong(seconds).array());
  }

  /**
   * Deletes the messages expired at {@code now} with their saved attachment files (files first: a
   * crash in between leaves a message without its file, never a file without its message).
   */
  void purge(Instant now, Attachments attachments) throws StorageException {
    List<UUID> expired;
    do {
      expired = store.history().expired(now);
      for (UUID g : expired) {
        attachments.deleteFiles(g);
        store.history().delete(g);
      }
    } while (expired.size() == HistoryStore.MAX_PAGE);
  }

  /** When a message of {@code conversation} stored at {@code now} disappears, or null never. */
  Instant expiresAt(String conversation, Instant now) throws StorageException {
    Duration t = get(conversation);
    return t.isZero() ? null : now.plus(t);
  }
}
