package org.sotto.protocol;

/** A key is malformed, of the wrong type or length, or its signature does not verify. */
public final class InvalidKeyException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that never contains key material or plaintext. */
  public InvalidKeyException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message never contains key material or plaintext. */
  public InvalidKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
