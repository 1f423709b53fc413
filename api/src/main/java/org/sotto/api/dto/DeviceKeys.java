package org.sotto.api.dto;

import java.util.List;
import org.sotto.api.ApiChecks;

/**
 * The keys a new device registers with: its registration id, signed prekey, last-resort Kyber
 * prekey and at least one one-time EC prekey. Immutable; validated on construction.
 */
public record DeviceKeys(
    int registrationId,
    SignedPreKey signedPreKey,
    KyberPreKey lastResortKyberPreKey,
    List<PreKey> preKeys,
    List<KyberPreKey> kyberPreKeys) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public DeviceKeys {
    ApiChecks.registrationId(registrationId, "registrationId");
    ApiChecks.required(signedPreKey, "signedPreKey");
    ApiChecks.required(lastResortKyberPreKey, "lastResortKyberPreKey");
    preKeys = ApiChecks.list(preKeys, "preKeys", ApiChecks.MAX_PREKEYS_PER_UPLOAD);
    ApiChecks.check(!preKeys.isEmpty(), "preKeys", "must have at least one prekey");
    kyberPreKeys = ApiChecks.list(kyberPreKeys, "kyberPreKeys", ApiChecks.MAX_PREKEYS_PER_UPLOAD);
  }
}
