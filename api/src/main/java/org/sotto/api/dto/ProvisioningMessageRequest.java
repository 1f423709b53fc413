package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * An encrypted provisioning message for the new device waiting on a provisioning address.
 * Immutable; validated on construction.
 */
public record ProvisioningMessageRequest(byte[] body) {
  /** Provisioning messages carry keys and a few ids; 64 KiB is far more than any needs. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public ProvisioningMessageRequest {
    ApiChecks.bytes(body, "body", 1, MAX_BODY_BYTES);
  }
}
