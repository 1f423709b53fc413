package org.sotto.protocol.ratchet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.kdf.Hkdf;

/**
 * The Double Ratchet root key. A value: {@link #createChain} returns a new root key and chain key.
 * Immutable and thread-safe; {@link #toString()} never prints the key.
 */
public final class RootKey {
  /** Root key length in bytes. */
  public static final int LENGTH = 32;

  private static final byte[] INFO = "WhisperRatchet".getBytes(StandardCharsets.US_ASCII);

  private final byte[] key;

  /** Creates a root key from 32 bytes. */
  public RootKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != LENGTH) {
      throw new IllegalArgumentException("root key must be " + LENGTH + " bytes");
    }
    this.key = key.clone();
  }

  /** The key bytes (a copy). */
  public byte[] key() {
    return key.clone();
  }

  /**
   * One DH ratchet step: {@code HKDF(salt = RK, ikm = DH(ours, theirs), "WhisperRatchet", 64)} →
   * new root key ‖ chain key (index 0).
   */
  public Step createChain(ECPublicKey theirRatchetKey, ECKeyPair ourRatchetKey)
      throws InvalidKeyException {
    byte[] shared = ourRatchetKey.privateKey().calculateAgreement(theirRatchetKey);
    byte[] okm = Hkdf.deriveSecrets(shared, key, INFO, 2 * LENGTH);
    return new Step(
        new RootKey(Arrays.copyOfRange(okm, 0, LENGTH)),
        new ChainKey(Arrays.copyOfRange(okm, LENGTH, 2 * LENGTH), 0));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RootKey other && Crypto.constantTimeEquals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "RootKey[redacted]";
  }

  /**
   * The result of a root ratchet step.
   *
   * @param rootKey the new root key
   * @param chainKey the new chain key
   */
  public record Step(RootKey rootKey, ChainKey chainKey) {}
}
