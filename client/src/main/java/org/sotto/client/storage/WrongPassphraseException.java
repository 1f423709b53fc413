package org.sotto.client.storage;

/**
 * The passphrase does not open the store's data key (wrong, or given for a store that has none, or
 * missing for a store that needs one). Nothing on disk was changed.
 */
public final class WrongPassphraseException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** A wrong-passphrase failure; the message names the case, never the passphrase. */
  public WrongPassphraseException(String message) {
    super(message);
  }
}
