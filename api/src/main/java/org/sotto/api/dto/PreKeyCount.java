package org.sotto.api.dto;

/**
 * How many one-time prekeys the server holds for the calling device. Immutable; validated on
 * construction.
 */
public record PreKeyCount(int ecCount, int kyberCount) {}
