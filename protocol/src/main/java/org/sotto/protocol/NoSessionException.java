package org.sotto.protocol;

/** There is no session with the given address. */
public final class NoSessionException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that never contains key material or plaintext. */
  public NoSessionException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message never contains key material or plaintext. */
  public NoSessionException(String message, Throwable cause) {
    super(message, cause);
  }
}
