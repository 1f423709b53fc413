package org.sotto.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.IdentityInfo;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;

/**
 * {@code sotto listIdentities}: the identity keys this device trusts for other accounts, one per
 * line ({@code ACCOUNT_ID HANDLE TRUST ADDED SAFETY_NUMBER}), or one JSON object per line: {@code
 * {"accountId","handle","trust","addedAt","safetyNumber"}}. {@code trust} is {@code
 * TRUSTED_UNVERIFIED}, {@code VERIFIED} or {@code UNTRUSTED}; {@code addedAt} is epoch milliseconds
 * or null when unknown. Reads the local store only.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "listIdentities",
    description = "List the identity keys of other accounts and how far they are trusted.")
final class ListIdentitiesCommand extends ClientVerb {
  /** The JSON form of one identity. */
  @JsonPropertyOrder({"accountId", "handle", "trust", "addedAt", "safetyNumber"})
  record JsonIdentity(
      String accountId, String handle, String trust, Long addedAt, String safetyNumber) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      for (IdentityInfo i : client.identities()) {
        print(
            i.accountId()
                + " "
                + i.handle().orElse("-")
                + " "
                + i.trust()
                + " "
                + i.addedAt().map(Instant::toString).orElse("-")
                + " "
                + i.safetyNumber(),
            new JsonIdentity(
                i.accountId().toString(),
                i.handle().orElse(null),
                i.trust().name(),
                i.addedAt().map(Instant::toEpochMilli).orElse(null),
                i.safetyNumber()));
      }
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
