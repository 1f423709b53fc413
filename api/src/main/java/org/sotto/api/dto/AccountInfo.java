package org.sotto.api.dto;

import org.sotto.api.AccountId;

/**
 * What an authenticated device learns about its own account. Immutable; validated on construction.
 */
public record AccountInfo(AccountId accountId, int deviceId, String handle) {}
