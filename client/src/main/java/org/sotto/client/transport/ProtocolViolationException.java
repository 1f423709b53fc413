package org.sotto.client.transport;

/**
 * The server answered with something this client cannot understand (a malformed body or frame, a
 * missing header). Immutable.
 */
public final class ProtocolViolationException extends TransportException {
  private static final long serialVersionUID = 1L;

  ProtocolViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
