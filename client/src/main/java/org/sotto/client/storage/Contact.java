package org.sotto.client.storage;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What this device knows about another account. {@link #toString()} leaves out the profile name and
 * the access key. Immutable and thread-safe.
 *
 * @param accountId the account's id
 * @param handle its public handle, if known (stored in the clear, for lookups by handle)
 * @param profileName its decrypted profile name, if known (stored encrypted)
 * @param unidentifiedAccessKey its delivery token for sealed sender, if known (stored encrypted)
 */
public record Contact(
    UUID accountId,
    Optional<String> handle,
    Optional<String> profileName,
    Optional<SecretBytes> unidentifiedAccessKey) {
  /** Checks for nulls. */
  public Contact {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(profileName, "profileName");
    Objects.requireNonNull(unidentifiedAccessKey, "unidentifiedAccessKey");
  }

  @Override
  public String toString() {
    return "Contact[" + accountId + ", handle=" + handle.orElse("-") + "]";
  }
}
