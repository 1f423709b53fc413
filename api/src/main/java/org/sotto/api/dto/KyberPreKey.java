package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * A Kyber-1024 prekey signed (XEdDSA) with the account's identity key; one-time or last-resort.
 * Immutable; validated on construction.
 */
public record KyberPreKey(int keyId, byte[] publicKey, byte[] signature) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public KyberPreKey {
    ApiChecks.preKeyId(keyId, "keyId");
    ApiChecks.kyberPublicKey(publicKey, "publicKey");
    ApiChecks.signature(signature, "signature");
  }
}
