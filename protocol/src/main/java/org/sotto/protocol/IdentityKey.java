package org.sotto.protocol;

import java.util.Objects;
import org.sotto.protocol.ecc.ECPublicKey;

/**
 * The long-term public identity key of one party (a Curve25519 key, 33 bytes serialized). Immutable
 * and thread-safe.
 */
public final class IdentityKey {
  private final ECPublicKey publicKey;

  /** Wraps a Curve25519 public key as an identity key. */
  public IdentityKey(ECPublicKey publicKey) {
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
  }

  /** Parses a 33-byte serialized identity key ({@code 0x05 ‖ u}). */
  public static IdentityKey fromBytes(byte[] serialized) throws InvalidKeyException {
    return new IdentityKey(ECPublicKey.fromBytes(serialized));
  }

  /** The underlying Curve25519 public key. */
  public ECPublicKey publicKey() {
    return publicKey;
  }

  /** The 33-byte serialization. */
  public byte[] serialize() {
    return publicKey.serialize();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentityKey other && publicKey.equals(other.publicKey);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "IdentityKey[" + publicKey + "]";
  }
}
