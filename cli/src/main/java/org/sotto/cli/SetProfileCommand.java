package org.sotto.cli;

import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sotto setProfile --name NAME}: sets this account's profile name, encrypted so that only
 * contacts (who received a message from this account) can read it.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "setProfile",
    description = "Set this account's profile name (encrypted; readable by your contacts only).")
final class SetProfileCommand extends ClientVerb {
  @Option(
      names = "--name",
      required = true,
      description = "The profile name (at most 256 UTF-8 bytes; empty removes it).")
  String name;

  /** The JSON form of the result (the name is not echoed). */
  record ProfileSet(boolean ok) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      client.setProfileName(name);
      print("profile name set", new ProfileSet(true));
    } catch (IllegalArgumentException e) {
      throw new CommandException.UserError("invalid profile name: " + e.getMessage(), e);
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
