package org.sotto.protocol;

/** The remote party's identity key differs from the one trusted for that address. */
public final class UntrustedIdentityException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that never contains key material or plaintext. */
  public UntrustedIdentityException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message never contains key material or plaintext. */
  public UntrustedIdentityException(String message, Throwable cause) {
    super(message, cause);
  }
}
