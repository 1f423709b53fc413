package org.sotto.api.dto;

/**
 * Public server settings: the sealed-sender trust root, registration mode and limits. Immutable;
 * validated on construction.
 */
public record ServerConfigResponse(
    byte[] trustRoot,
    String registration,
    int powBits,
    long maxAttachmentBytes,
    int maxEnvelopeBytes) {}
