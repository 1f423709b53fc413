package org.sotto.protocol;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;

/**
 * A party's identity key pair. The private half never appears in {@link #toString()}. Immutable and
 * thread-safe.
 */
public final class IdentityKeyPair {
  private static final int SERIALIZED_LENGTH = 33 + 32;

  private final IdentityKey identityKey;
  private final ECPrivateKey privateKey;

  /** Pairs an identity key with its private key. */
  public IdentityKeyPair(IdentityKey identityKey, ECPrivateKey privateKey) {
    this.identityKey = Objects.requireNonNull(identityKey, "identityKey");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
  }

  /** Generates a new identity key pair. */
  public static IdentityKeyPair generate(SecureRandom rng) {
    ECKeyPair pair = ECKeyPair.generate(rng);
    return new IdentityKeyPair(new IdentityKey(pair.publicKey()), pair.privateKey());
  }

  /** Parses the form written by {@link #serialize()}: public key (33 B) ‖ private key (32 B). */
  public static IdentityKeyPair fromBytes(byte[] serialized) throws InvalidKeyException {
    if (serialized == null || serialized.length != SERIALIZED_LENGTH) {
      throw new InvalidKeyException("identity key pair must be " + SERIALIZED_LENGTH + " bytes");
    }
    IdentityKey pub = IdentityKey.fromBytes(Arrays.copyOfRange(serialized, 0, 33));
    ECPrivateKey priv =
        ECPrivateKey.fromBytes(Arrays.copyOfRange(serialized, 33, SERIALIZED_LENGTH));
    if (!priv.publicKey().equals(pub.publicKey())) {
      throw new InvalidKeyException("identity private key does not match its public key");
    }
    return new IdentityKeyPair(pub, priv);
  }

  /** Public key (33 B) ‖ private key (32 B). Secret material: store it encrypted. */
  public byte[] serialize() {
    byte[] out = new byte[SERIALIZED_LENGTH];
    System.arraycopy(identityKey.serialize(), 0, out, 0, 33);
    System.arraycopy(privateKey.serialize(), 0, out, 33, 32);
    return out;
  }

  /** The public identity key. */
  public IdentityKey identityKey() {
    return identityKey;
  }

  /** The private identity key. */
  public ECPrivateKey privateKey() {
    return privateKey;
  }

  /** Signs {@code message} with the identity key (XEdDSA). */
  public byte[] sign(byte[] message, SecureRandom rng) {
    return privateKey.calculateSignature(message, rng);
  }

  @Override
  public String toString() {
    return "IdentityKeyPair[" + identityKey + ", private=redacted]";
  }
}
