package org.sotto.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** An account's server-assigned random UUID; the only stable account identifier. Immutable. */
public record AccountId(UUID value) {
  /** Validates non-null. */
  public AccountId {
    Objects.requireNonNull(value, "value");
  }

  /** Parses the canonical UUID form; {@link IllegalArgumentException} otherwise. */
  @JsonCreator
  public static AccountId parse(String text) {
    ApiChecks.required(text, "accountId");
    ApiChecks.check(text.length() == 36, "accountId", "must be a UUID");
    UUID uuid;
    try {
      uuid = UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("accountId: must be a UUID");
    }
    ApiChecks.check(
        uuid.toString().equals(text.toLowerCase(java.util.Locale.ROOT)),
        "accountId",
        "must be a UUID");
    return new AccountId(uuid);
  }

  /** A fresh random id. */
  public static AccountId random() {
    return new AccountId(UUID.randomUUID());
  }

  @JsonValue
  @Override
  public String toString() {
    return value.toString();
  }
}
