package org.sotto.api.dto;

/**
 * The body of every 4xx/5xx response: a stable machine code and a human message without user data.
 * Immutable; validated on construction.
 */
public record ErrorResponse(String code, String message) {}
