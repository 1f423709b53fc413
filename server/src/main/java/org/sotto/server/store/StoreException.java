package org.sotto.server.store;

/**
 * A storage failure that is not the caller's fault (disk full, database corrupt, I/O error,
 * database server unreachable). Mapped to HTTP 503; the message never carries user data.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Wraps a cause from the storage layer. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
