package org.sotto.cli;

import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sotto trust RECIPIENT (--verified-safety-number NUMBER | --all-known-keys)}: accepts the
 * recipient's current identity. With a number, only if it equals the safety number computed here.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "trust",
    description = "Trust RECIPIENT's current identity key.")
final class TrustCommand extends ClientVerb {
  @Parameters(paramLabel = "RECIPIENT", description = "A handle or an account UUID.")
  String recipient;

  @ArgGroup(multiplicity = "1")
  How how;

  /** Exactly one way to trust. */
  static final class How {
    @Option(
        names = "--verified-safety-number",
        paramLabel = "NUMBER",
        description = "The safety number compared with the other person (spaces ignored).")
    String number;

    @Option(names = "--all-known-keys", description = "Trust without comparing a safety number.")
    boolean allKnownKeys;
  }

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      if (how.number != null) {
        if (!client.verify(recipient, how.number)) {
          throw new CommandException.UserError(
              "the safety number does not match; nothing was trusted");
        }
      } else {
        client.trust(recipient);
      }
      print("trusted " + recipient, new Trusted(recipient));
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }

  /** The JSON form of the result. */
  record Trusted(String recipient) {}
}
