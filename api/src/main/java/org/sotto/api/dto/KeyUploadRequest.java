package org.sotto.api.dto;

import java.util.List;
import org.sotto.api.ApiChecks;

/**
 * Adds one-time prekeys and/or replaces the signed and last-resort prekeys of the calling device.
 * Every field is optional; at least one must be set. Immutable; validated on construction.
 */
public record KeyUploadRequest(
    List<PreKey> preKeys,
    List<KyberPreKey> kyberPreKeys,
    SignedPreKey signedPreKey,
    KyberPreKey lastResortKyberPreKey) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public KeyUploadRequest {
    preKeys = ApiChecks.list(preKeys, "preKeys", ApiChecks.MAX_PREKEYS_PER_UPLOAD);
    kyberPreKeys = ApiChecks.list(kyberPreKeys, "kyberPreKeys", ApiChecks.MAX_PREKEYS_PER_UPLOAD);
    ApiChecks.check(
        !preKeys.isEmpty()
            || !kyberPreKeys.isEmpty()
            || signedPreKey != null
            || lastResortKyberPreKey != null,
        "keys",
        "at least one key is required");
  }
}
