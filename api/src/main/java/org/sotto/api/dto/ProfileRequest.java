package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * Sets the caller's encrypted profile (encrypted client-side) and the 16-byte unidentified-delivery
 * token that sealed-sender senders must present. Immutable; validated on construction.
 */
public record ProfileRequest(byte[] blob, byte[] unidentifiedAccessKey) {
  /** Encrypted name, about and avatar pointer; avatars themselves are attachments. */
  public static final int MAX_BLOB_BYTES = 8 * 1024;

  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public ProfileRequest {
    ApiChecks.bytes(blob, "blob", 0, MAX_BLOB_BYTES);
    ApiChecks.bytes(unidentifiedAccessKey, "unidentifiedAccessKey", 16, 16);
  }
}
