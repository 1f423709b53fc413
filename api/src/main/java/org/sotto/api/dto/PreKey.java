package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * A one-time Curve25519 prekey as uploaded and handed out. Immutable; validated on construction.
 */
public record PreKey(int keyId, byte[] publicKey) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public PreKey {
    ApiChecks.preKeyId(keyId, "keyId");
    ApiChecks.ecPublicKey(publicKey, "publicKey");
  }
}
