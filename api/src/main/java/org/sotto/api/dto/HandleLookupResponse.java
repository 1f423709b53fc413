package org.sotto.api.dto;

import org.sotto.api.AccountId;

/** The account that owns a handle. Immutable; validated on construction. */
public record HandleLookupResponse(AccountId accountId) {}
