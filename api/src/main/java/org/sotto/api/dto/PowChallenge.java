package org.sotto.api.dto;

/**
 * A registration challenge to solve before registering; {@code bits} 0 means none is needed.
 * Immutable; validated on construction.
 */
public record PowChallenge(byte[] challenge, int bits, long expiresAtMs) {}
