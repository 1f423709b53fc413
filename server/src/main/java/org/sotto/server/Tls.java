package org.sotto.server;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Builds the listening connector: plain HTTP, or HTTPS/WSS from PEM files. */
final class Tls {
  private Tls() {}

  /** A connector for {@code config}. */
  static ServerConnector connector(Server jetty, ServerConfig config) {
    if (!config.tls()) {
      return new ServerConnector(jetty);
    }
    throw new UnsupportedOperationException("TLS is not built yet");
  }
}
