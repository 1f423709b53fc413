package org.sotto.api.dto;

/**
 * How many envelopes were stored (one per destination device). Immutable; validated on
 * construction.
 */
public record SendMessagesResponse(int stored) {}
