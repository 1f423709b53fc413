package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * Starts an attachment upload of exactly {@code length} bytes of ciphertext. Immutable; validated
 * on construction.
 */
public record AttachmentCreateRequest(long length) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public AttachmentCreateRequest {
    ApiChecks.check(length > 0, "length", "must be positive");
  }
}
