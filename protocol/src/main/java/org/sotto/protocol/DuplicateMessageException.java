package org.sotto.protocol;

/** A message was already received (its message key has been used and deleted). */
public final class DuplicateMessageException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that never contains key material or plaintext. */
  public DuplicateMessageException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message never contains key material or plaintext. */
  public DuplicateMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
