package org.sotto.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.daemon.DaemonServer;
import org.sotto.cli.daemon.EventHub;
import org.sotto.cli.daemon.JsonRpc;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.ReceiveError;
import org.sotto.client.SottoClient;

/**
 * A running daemon on one open account: receives continuously and publishes each message (as {@link
 * MessageJson}) and each receive error to the event stream, and runs the verbs called over JSON-RPC
 * on the same client. Closing stops the HTTP side and receiving (acknowledgements are flushed); the
 * client stays open for its owner to close. Thread-safe.
 */
final class Daemon implements AutoCloseable {
  private final SottoClient client;
  private final EventHub events;
  private final DaemonServer server;

  private Daemon(SottoClient client, EventHub events, DaemonServer server) {
    this.client = client;
    this.events = events;
    this.server = server;
  }

  /**
   * Starts the daemon for {@code client}, the open local account {@code account} of {@code
   * accounts}, listening on {@code bind}.
   */
  static Daemon start(
      SottoClient client,
      String account,
      Accounts accounts,
      Map<String, String> env,
      InetSocketAddress bind)
      throws IOException {
    EventHub events = new EventHub();
    JsonRpc rpc = new JsonRpc(new InProcessVerbs(env, accounts.sharing(client, account)));
    DaemonServer server = DaemonServer.start(bind, rpc, events);
    MessageJson.Names names = new MessageJson.Names(client);
    client.startReceiving(
        new MessageListener() {
          @Override
          public void onMessage(IncomingMessage message) {
            events.publish("message", MessageJson.of(message, names).line());
          }

          @Override
          public void onError(ReceiveError error) {
            events.publish(
                "error",
                "{\"id\":\""
                    + error.guid()
                    + "\",\"source\":\""
                    + error.source().replaceAll("[^0-9A-Za-z.-]", "")
                    + "\",\"kind\":\""
                    + error.kind()
                    + "\"}");
          }
        });
    return new Daemon(client, events, server);
  }

  /** The address the HTTP side listens on (with the real port). */
  InetSocketAddress address() {
    return server.address();
  }

  /** The number of event stream subscribers (for tests). */
  int subscribers() {
    return events.size();
  }

  @Override
  public void close() {
    server.close();
    client.stopReceiving();
  }
}
