package org.sotto.api.dto;

import org.sotto.api.AccountId;

/** The new account's id and the new device's id. Immutable; validated on construction. */
public record RegisterResponse(AccountId accountId, int deviceId) {}
