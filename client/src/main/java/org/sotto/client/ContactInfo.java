package org.sotto.client;

import java.util.Objects;
import java.util.Optional;
import org.sotto.api.AccountId;

/**
 * An account this device knows (see {@link SottoClient#contacts()}). Immutable.
 *
 * @param accountId the account's id
 * @param handle its public handle, when this device looked it up by handle
 */
public record ContactInfo(AccountId accountId, Optional<String> handle) {
  /** Checks for nulls. */
  public ContactInfo {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(handle, "handle");
  }

  /** The handle when known, else the account id's text form: how to show the account. */
  public String displayName() {
    return handle.orElse(accountId.toString());
  }
}
