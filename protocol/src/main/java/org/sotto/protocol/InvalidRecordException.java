package org.sotto.protocol;

/**
 * A stored record (session or prekey) is malformed: truncated, of an unknown format version or
 * inconsistent.
 */
public final class InvalidRecordException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that never contains key material. */
  public InvalidRecordException(String message) {
    super(message);
  }

  /** Creates the exception with a cause; the message never contains key material. */
  public InvalidRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
