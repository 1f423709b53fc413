package org.sotto.protocol;

/** A message is malformed, fails its MAC, or cannot be decrypted with any known session state. */
public final class InvalidMessageException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that never contains key material or plaintext. */
  public InvalidMessageException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message never contains key material or plaintext. */
  public InvalidMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
