package org.sotto.client.storage;

/**
 * A failure of the local store: an I/O or database error, or one of the typed cases below it
 * ({@link WrongPassphraseException}, {@link CorruptStoreException}). Messages never carry keys,
 * passphrases or message content.
 */
public class StorageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure with a message that carries no user data. */
  public StorageException(String message) {
    super(message);
  }

  /** A failure with a message that carries no user data, and its cause. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
