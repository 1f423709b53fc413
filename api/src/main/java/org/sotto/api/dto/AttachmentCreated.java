package org.sotto.api.dto;

/**
 * The new attachment's id; upload its bytes with PATCH and the Upload-Offset header. Immutable;
 * validated on construction.
 */
public record AttachmentCreated(String id, long length) {}
