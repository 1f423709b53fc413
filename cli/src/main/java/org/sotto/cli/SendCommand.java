package org.sotto.cli;

import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sotto send -m TEXT RECIPIENT}: sends one text message; prints its timestamp. */
@Command(
    mixinStandardHelpOptions = true,
    name = "send",
    description = "Send a text message to RECIPIENT (handle or account UUID).")
final class SendCommand extends ClientVerb {
  @Option(
      names = {"-m", "--message"},
      required = true,
      description = "The message text.")
  String text;

  @Parameters(paramLabel = "RECIPIENT", description = "A handle or an account UUID.")
  String recipient;

  /** The JSON form of the result. */
  record Sent(long timestamp) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      long timestamp = client.send(recipient, text);
      print(Long.toString(timestamp), new Sent(timestamp));
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
