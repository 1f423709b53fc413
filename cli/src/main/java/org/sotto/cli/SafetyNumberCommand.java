package org.sotto.cli;

import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sotto safetyNumber RECIPIENT [--qr]}: prints the 60-digit safety number with RECIPIENT,
 * and with {@code --qr} (plain output only) a QR code of its digits to compare by scanning.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "safetyNumber",
    description = "Print the safety number of this account and RECIPIENT.")
final class SafetyNumberCommand extends ClientVerb {
  @Parameters(paramLabel = "RECIPIENT", description = "A handle or an account UUID.")
  String recipient;

  @Option(names = "--qr", description = "Also print a QR code of the safety number's digits.")
  boolean qr;

  /** The JSON form of the result. */
  record SafetyNumber(String recipient, String safetyNumber) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      String number = client.safetyNumber(recipient);
      print(number, new SafetyNumber(recipient, number));
      if (qr && !json()) {
        out().println(Qr.render(number.replaceAll("\\s", "")));
      }
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
