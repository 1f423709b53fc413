package org.sotto.client.transport;

/**
 * Every failure of the transport to the server: the server could not be reached, answered with an
 * error status, or broke the protocol. Messages name the server URL, the operation and the server's
 * error code, never credentials, access keys, handles or message contents. Immutable.
 */
public abstract sealed class TransportException extends Exception
    permits ServerUnreachableException, HttpStatusException, ProtocolViolationException {
  private static final long serialVersionUID = 1L;

  TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
