package org.sotto.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sotto daemon --http HOST:PORT [--allow-remote]}: holds the local account open, receives
 * continuously and serves JSON-RPC 2.0 at {@code /api/v1/rpc} (every verb) and server-sent events
 * at {@code /api/v1/events}. There is no authentication, so only a loopback address is accepted
 * unless {@code --allow-remote} is given. Prints {@code listening on http://HOST:PORT} when ready
 * and runs until SIGTERM or Ctrl-C.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "daemon",
    description = {
      "Serve JSON-RPC 2.0 (POST /api/v1/rpc, every verb) and server-sent events of incoming"
          + " messages (GET /api/v1/events) for the local account.",
      "No authentication: anyone who can reach the port can act as the account."
    })
final class DaemonCommand extends ClientVerb {
  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      required = true,
      description = "Where to listen, e.g. 127.0.0.1:8080 (port 0: a free port).")
  String http;

  @Option(
      names = "--allow-remote",
      description = "Allow a non-loopback address (anyone on the network could use the account).")
  boolean allowRemote;

  @Override
  void execute() throws CommandException, InterruptedException {
    InetSocketAddress bind = bindAddress(http, allowRemote);
    Accounts accounts = accounts();
    String account = accounts.name(accountOrNull());
    SottoClient client = accounts.open(account);
    Daemon daemon;
    try {
      daemon = Daemon.start(client, account, accounts, main.env(), bind);
    } catch (IOException e) {
      closeQuietly(client);
      throw new CommandException.ServerOrIoError(
          "cannot listen on " + http + ": " + e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  daemon.close();
                  closeQuietly(client);
                  stopped.countDown();
                },
                "sotto-daemon-stop"));
    InetSocketAddress at = daemon.address();
    out().println("listening on http://" + hostText(at) + ":" + at.getPort());
    out().flush();
    stopped.await();
  }

  /**
   * Parses {@code HOST:PORT} ({@code [::1]:PORT} for IPv6); refuses non-loopback unless allowed.
   */
  static InetSocketAddress bindAddress(String hostPort, boolean allowRemote)
      throws CommandException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new CommandException.UserError("--http must be HOST:PORT, e.g. 127.0.0.1:8080");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CommandException.UserError("--http: not a port number: " + hostPort);
    }
    if (port < 0 || port > 65535) {
      throw new CommandException.UserError("--http: port out of range: " + port);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new CommandException.UserError("--http: unknown host: " + host);
    }
    if (!address.isLoopbackAddress() && !allowRemote) {
      throw new CommandException.UserError(
          "--http "
              + hostPort
              + " is not a loopback address; the daemon has no authentication, so add"
              + " --allow-remote only if everyone who can reach it may use the account");
    }
    return new InetSocketAddress(address, port);
  }

  private static String hostText(InetSocketAddress at) {
    String h = at.getAddress().getHostAddress();
    return h.contains(":") ? "[" + h + "]" : h;
  }

  private static void closeQuietly(SottoClient client) {
    try {
      client.close();
    } catch (SottoException e) {
      // Stopping anyway; the store's own lock is released with the process.
      System.err.println("sotto: " + Failures.map(e).getMessage());
    }
  }
}
