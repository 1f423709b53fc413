package org.sotto.cli;

import java.util.List;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.ContactInfo;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;

/**
 * {@code sotto listContacts}: the accounts this device knows, one per line ({@code ACCOUNT_ID
 * HANDLE}), or one JSON object per line: {@code {"accountId","handle"}} ({@code handle} null when
 * unknown).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "listContacts",
    description = "List the accounts this device knows.")
final class ListContactsCommand extends ClientVerb {
  /** The JSON form of one contact. */
  record JsonContact(String accountId, String handle) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      List<ContactInfo> contacts = client.contacts();
      for (ContactInfo c : contacts) {
        print(
            c.accountId() + " " + c.handle().orElse("-"),
            new JsonContact(c.accountId().toString(), c.handle().orElse(null)));
      }
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
