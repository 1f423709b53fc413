package org.sotto.protocol.ecc;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.sotto.protocol.InvalidKeyException;

/**
 * A Curve25519 private key: 32 raw bytes, clamped (RFC 7748) whenever used. Computes X25519
 * agreements and XEdDSA signatures.
 *
 * <p>{@link #serialize()} returns the bytes exactly as given. Immutable and thread-safe; the
 * derived public keys are computed on first use. {@link #toString()} never shows key material.
 */
public final class ECPrivateKey {

  /** Length of a private key. */
  public static final int KEY_LENGTH = 32;

  private final byte[] key;

  // Derived lazily; recomputing in a race gives the same value, so volatile publication suffices.
  private volatile ECPublicKey publicKey;
  private volatile byte[] edwardsPublicKey;

  private ECPrivateKey(byte[] key) {
    this.key = key;
  }

  /** Wraps {@value #KEY_LENGTH} raw private-key bytes (clamped or not). */
  public static ECPrivateKey fromBytes(byte[] raw) throws InvalidKeyException {
    Objects.requireNonNull(raw, "raw");
    if (raw.length != KEY_LENGTH) {
      throw new InvalidKeyException(
          "Curve25519 private key must be " + KEY_LENGTH + " bytes, got " + raw.length);
    }
    return new ECPrivateKey(raw.clone());
  }

  /**
   * Wraps a private key together with its cached {@link #xeddsaPublicKey()}, as stored beside it,
   * so that signing skips a scalar multiplication. The cache is trusted (it comes from our own
   * storage): a wrong value only yields signatures that do not verify.
   */
  public static ECPrivateKey fromBytes(byte[] raw, byte[] xeddsaPublicKey)
      throws InvalidKeyException {
    ECPrivateKey key = fromBytes(raw);
    Objects.requireNonNull(xeddsaPublicKey, "xeddsaPublicKey");
    if (xeddsaPublicKey.length != Curve25519Points.ELEMENT_LENGTH) {
      throw new InvalidKeyException("cached XEdDSA public key has the wrong length");
    }
    key.edwardsPublicKey = xeddsaPublicKey.clone();
    return key;
  }

  /**
   * The 32-byte Ed25519 form of this key's public key (with its real sign bit), under which XEdDSA
   * signs. Store it beside a long-lived signing key and pass it to {@link #fromBytes(byte[],
   * byte[])}: computing it costs a scalar multiplication.
   */
  public byte[] xeddsaPublicKey() {
    return edwardsPublicKey().clone();
  }

  /** Returns a copy of the 32 private-key bytes. */
  public byte[] serialize() {
    return key.clone();
  }

  /** The X25519 public key for this private key. */
  public ECPublicKey publicKey() {
    ECPublicKey result = publicKey;
    if (result == null) {
      byte[] u = new byte[ECPublicKey.KEY_LENGTH];
      X25519.generatePublicKey(key, 0, u, 0);
      try {
        result = ECPublicKey.fromRaw(u);
      } catch (InvalidKeyException e) {
        throw new AssertionError("X25519 produced a malformed public key", e);
      }
      publicKey = result;
    }
    return result;
  }

  /**
   * X25519 agreement with {@code theirs}.
   *
   * @throws InvalidKeyException if the result is all zeros: {@code theirs} is a low-order point
   */
  public byte[] calculateAgreement(ECPublicKey theirs) throws InvalidKeyException {
    Objects.requireNonNull(theirs, "theirs");
    byte[] shared = new byte[X25519.POINT_SIZE];
    if (!X25519.calculateAgreement(key, 0, theirs.rawBytes(), 0, shared, 0)) {
      throw new InvalidKeyException("Agreement with a low-order public key");
    }
    return shared;
  }

  /**
   * Signs {@code message} with XEdDSA (libsignal variant, verifiable with {@link
   * ECPublicKey#verifySignature}); 64 bytes. {@code rng} supplies the 64 random bytes XEdDSA mixes
   * into its nonce.
   */
  public byte[] calculateSignature(byte[] message, SecureRandom rng) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(rng, "rng");
    return XEdDsa.sign(clamped(), edwardsPublicKey(), message, rng);
  }

  /** The Ed25519 public key a·B with its real sign bit, as XEdDSA signs under it. */
  byte[] edwardsPublicKey() {
    byte[] result = edwardsPublicKey;
    if (result == null) {
      BigInteger a = Curve25519Points.fromLittleEndian(clamped(), 0, KEY_LENGTH);
      result = Curve25519Points.scalarMultBaseEncoded(a.mod(Curve25519Points.L));
      edwardsPublicKey = result;
    }
    return result;
  }

  private byte[] clamped() {
    byte[] a = key.clone();
    X25519.clampPrivateKey(a);
    return a;
  }

  @Override
  public String toString() {
    return "ECPrivateKey[redacted]";
  }
}
