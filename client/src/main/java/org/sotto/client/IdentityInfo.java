package org.sotto.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.sotto.api.AccountId;

/**
 * The identity key this device holds for another account, and how far it is trusted (see {@link
 * SottoClient#identities()}). Carries no key material beyond the public safety number. Immutable.
 *
 * @param accountId the account's id
 * @param handle its public handle, when known
 * @param safetyNumber the 60-digit safety number of this account and the stored key
 * @param trust how the stored key came to be trusted, or that a different key was seen since
 * @param addedAt when this key was first stored; empty for keys stored by an older client version
 */
public record IdentityInfo(
    AccountId accountId,
    Optional<String> handle,
    String safetyNumber,
    Trust trust,
    Optional<Instant> addedAt) {
  /** How far a stored identity key is trusted. */
  public enum Trust {
    /**
     * Trusted without a comparison: stored on first use, or accepted with {@code trust} without a
     * safety number.
     */
    TRUSTED_UNVERIFIED,
    /** Trusted after the user compared the safety number ({@link SottoClient#verify}). */
    VERIFIED,
    /** The account showed a different key since; sending stops until the user trusts it. */
    UNTRUSTED
  }

  /** Checks for nulls. */
  public IdentityInfo {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(safetyNumber, "safetyNumber");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(addedAt, "addedAt");
  }
}
