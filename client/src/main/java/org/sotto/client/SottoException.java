package org.sotto.client;

/**
 * Something the SDK could not do. Subclasses name the cases a caller reacts to differently; the
 * cause carries the storage or transport failure. Messages never contain keys, secrets or message
 * text.
 */
public class SottoException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure with a message. */
  public SottoException(String message) {
    super(message);
  }

  /** A failure with a message and its cause. */
  public SottoException(String message, Throwable cause) {
    super(message, cause);
  }
}
