package org.sotto.cli;

import java.time.Duration;
import java.util.List;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.ReceiveError;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sotto receive [--timeout SECONDS]}: prints the messages waiting on the server, one per
 * line with an indented line per saved attachment path (one JSON object per line with {@code -o
 * json}, attachments inside), and errors on standard error. Receipts are applied silently.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "receive",
    description = "Print incoming messages until the queue is empty.")
final class ReceiveCommand extends ClientVerb {
  /** How long to wait for the server's stored queue by default (as signal-cli does). */
  static final long DEFAULT_TIMEOUT_SECONDS = 5;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Stop after this many seconds (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_TIMEOUT_SECONDS)
  long timeoutSeconds;

  @Override
  void execute() throws CommandException, InterruptedException {
    if (timeoutSeconds <= 0) {
      throw new CommandException.UserError("--timeout must be a positive number of seconds");
    }
    MessageListener errors =
        new MessageListener() {
          @Override
          public void onMessage(IncomingMessage message) {}

          @Override
          public void onError(ReceiveError error) {
            spec.commandLine()
                .getErr()
                .println(
                    "sotto: could not read a message from " + error.source() + ": " + error.kind());
          }
        };
    try (SottoClient client = accounts().open(accountOrNull())) {
      List<IncomingMessage> messages =
          client.receiveUntilQueueEmpty(Duration.ofSeconds(timeoutSeconds), errors);
      MessageJson.Names names = new MessageJson.Names(client);
      for (IncomingMessage m : messages) {
        MessageJson j = MessageJson.of(m, names);
        print(j.plain(), j);
      }
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
