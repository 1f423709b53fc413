package org.sotto.api.dto;

/** Another account's identity key and encrypted profile. Immutable; validated on construction. */
public record ProfileResponse(byte[] identityKey, byte[] blob) {}
