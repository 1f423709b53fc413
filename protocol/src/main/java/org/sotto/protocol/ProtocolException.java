package org.sotto.protocol;

/**
 * The checked exception family of the protocol module. Every failure of a protocol operation on
 * untrusted input is one of the subclasses; messages never contain key material or plaintext.
 * Routine failures skip the stack trace cost only where noted by the subclass.
 */
public abstract sealed class ProtocolException extends Exception
    permits InvalidKeyException,
        InvalidMessageException,
        DuplicateMessageException,
        UntrustedIdentityException,
        NoSessionException,
        InvalidRecordException,
        InvalidCertificateException {
  private static final long serialVersionUID = 1L;

  ProtocolException(String message) {
    super(message);
  }

  ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
