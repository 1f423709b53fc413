package org.sotto.client.storage;

/**
 * A store file is damaged, truncated, missing its partner file, or was tampered with (a record that
 * fails authentication). The store is never reset silently: the user decides what to do.
 */
public final class CorruptStoreException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** A corruption failure; the message says which file or table, never its content. */
  public CorruptStoreException(String message) {
    super(message);
  }

  /** A corruption failure with its cause. */
  public CorruptStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
