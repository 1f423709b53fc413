package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * A Curve25519 prekey signed (XEdDSA) with the account's identity key. Immutable; validated on
 * construction.
 */
public record SignedPreKey(int keyId, byte[] publicKey, byte[] signature) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public SignedPreKey {
    ApiChecks.preKeyId(keyId, "keyId");
    ApiChecks.ecPublicKey(publicKey, "publicKey");
    ApiChecks.signature(signature, "signature");
  }
}
