package org.sotto.server.keys;

import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.server.http.ApiException;

/**
 * Checks on upload that signed prekeys are signed (XEdDSA) by the account's identity key, so the
 * server never hands out a key the account did not publish. Stateless.
 */
public final class KeySignatures {
  private KeySignatures() {}

  /** The identity key, or a 400 if it is not a valid Curve25519 key. */
  public static ECPublicKey identityKey(byte[] serialized) {
    try {
      return ECPublicKey.fromBytes(serialized);
    } catch (InvalidKeyException e) {
      throw ApiException.badRequest("invalid_key", "identityKey: not a valid Curve25519 key");
    }
  }

  /** Verifies a signed EC prekey, or throws 400 {@code invalid_signature}. */
  public static void verify(ECPublicKey identity, SignedPreKey key, String field) {
    if (key != null && !identity.verifySignature(key.publicKey(), key.signature())) {
      throw ApiException.badRequest("invalid_signature", field + ": signature does not verify");
    }
  }

  /** Verifies a signed Kyber prekey, or throws 400 {@code invalid_signature}. */
  public static void verify(ECPublicKey identity, KyberPreKey key, String field) {
    if (key != null && !identity.verifySignature(key.publicKey(), key.signature())) {
      throw ApiException.badRequest("invalid_signature", field + ": signature does not verify");
    }
  }
}
