package org.sotto.protocol;

/**
 * A sealed-sender certificate is malformed, is not chained to a trusted root, carries a bad
 * signature, names a revoked or unknown server key, has expired, or does not belong to the identity
 * it is used with.
 */
public final class InvalidCertificateException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that never contains key material or plaintext. */
  public InvalidCertificateException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message never contains key material or plaintext. */
  public InvalidCertificateException(String message, Throwable cause) {
    super(message, cause);
  }
}
