package org.sotto.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.AttachmentFileException;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sotto send -m TEXT [--attachment FILE]... RECIPIENT}: sends one message, with attachments
 * if given (a progress bar on standard error when it is a terminal); prints its timestamp.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "send",
    description = "Send a message to RECIPIENT (handle or account UUID).")
final class SendCommand extends ClientVerb {
  @Option(
      names = {"-m", "--message"},
      required = true,
      description = "The message text (may be empty when there are attachments).")
  String text;

  @Option(
      names = "--attachment",
      paramLabel = "FILE",
      description = "A file to attach; repeat for more.")
  List<Path> attachments = new ArrayList<>();

  @Parameters(paramLabel = "RECIPIENT", description = "A handle or an account UUID.")
  String recipient;

  /** The JSON form of the result. */
  record Sent(long timestamp) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    if (text.isEmpty() && attachments.isEmpty()) {
      throw new CommandException.UserError("-m must not be empty without --attachment");
    }
    try (SottoClient client = accounts().open(accountOrNull())) {
      long timestamp;
      if (attachments.isEmpty()) {
        timestamp = client.send(recipient, text);
      } else {
        ProgressBar bar =
            new ProgressBar(spec.commandLine().getErr(), ProgressBar.stderrIsTerminal());
        try {
          timestamp = client.send(recipient, text, attachments, bar);
        } finally {
          bar.finish();
        }
      }
      print(Long.toString(timestamp), new Sent(timestamp));
    } catch (AttachmentFileException e) {
      throw new CommandException.UserError(
          e.getMessage().replace("a file", e.file().toString()), e);
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
