package org.sotto.client.storage;

/**
 * The store is open already, in another process or elsewhere in this one. Two writers would each
 * advance the ratchets from their own copy of a session and lose messages, so the second one is
 * refused rather than made to wait.
 */
public final class StoreLockedException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** A lock failure; the message names no path. */
  public StoreLockedException(String message) {
    super(message);
  }
}
