package org.sotto.cli;

import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sotto addDevice --uri URI}: links the new device that printed URI to this account. */
@Command(
    mixinStandardHelpOptions = true,
    name = "addDevice",
    description = "Link the new device that printed URI (with 'sotto link') to this account.")
final class AddDeviceCommand extends ClientVerb {
  @Option(
      names = "--uri",
      required = true,
      paramLabel = "URI",
      description = "The sotto://link?… URI the new device printed.")
  String uri;

  /** The JSON form of the result. */
  record Added(boolean sent) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      client.addDevice(uri);
      print("sent the account to the new device; it finishes linking on its own", new Added(true));
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
