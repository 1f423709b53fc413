package org.sotto.client.transport;

import java.net.URI;

/**
 * The server could not be reached or did not answer in time (connection refused, unknown host,
 * timeout, connection dropped mid-exchange). The message names the server's base URL. Immutable.
 */
public final class ServerUnreachableException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final URI server;

  ServerUnreachableException(URI server, String what, Throwable cause) {
    super("cannot reach the server at " + server + ": " + what, cause);
    this.server = server;
  }

  /** The server's base URL. */
  public URI server() {
    return server;
  }
}
