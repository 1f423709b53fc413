package org.sotto.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sotto register --server URL --handle NAME}: creates a local account and prints its id. */
@Command(
    name = "register",
    description = "Create local account NAME (the handle) on the server and print its account id.")
final class RegisterCommand extends ClientVerb {
  @Option(names = "--server", required = true, description = "The server's base URL.")
  String server;

  @Option(names = "--handle", required = true, description = "The handle to register.")
  String handle;

  /** The JSON form of the result. */
  record Registered(String handle, String accountId, int deviceId) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    URI uri = parseServer(server);
    Accounts accounts = accounts();
    Path dir = accounts.newAccountDir(handle);
    try (SottoClient client = SottoClient.register(uri, handle, dir, accounts.passphraseOrNull())) {
      print(
          client.accountId().toString(),
          new Registered(handle, client.accountId().toString(), client.deviceId()));
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }

  private static URI parseServer(String text) throws CommandException {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new CommandException.UserError("--server must be a URL like https://host:port");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CommandException.UserError("--server is not a URL: " + e.getMessage(), e);
    }
  }
}
