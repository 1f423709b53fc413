package org.sotto.api.dto;

/**
 * A short-lived code that lets one new device join the account. Immutable; validated on
 * construction.
 */
public record ProvisioningCode(String code, long expiresAtMs) {}
