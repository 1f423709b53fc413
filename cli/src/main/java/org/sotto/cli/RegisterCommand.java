package org.sotto.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sotto register --server URL --handle NAME}: creates a local account and prints its id. */
@Command(
    mixinStandardHelpOptions = true,
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
      removeHalfMade(dir);
      throw Failures.map(e);
    }
  }

  /**
   * Removes the account folder this run created (the SDK already removed its half-made store), so
   * that the handle can be registered again. Best effort: a leftover folder is reported by the next
   * {@code register} as an existing account.
   */
  static void removeHalfMade(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // Best effort, see above; the registration failure is what the user needs to see.
    }
  }

  static URI parseServer(String text) throws CommandException {
    return Accounts.parseServerUrl("--server", text);
  }
}
