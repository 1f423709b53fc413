package org.sotto.protocol.sealed;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.kdf.Hkdf;

/**
 * The key schedule and the cipher of sealed sender v1. Two layers, each AES-256-CTR (zero IV) with
 * an HMAC-SHA256 over the ciphertext truncated to {@value #MAC_LENGTH} bytes and appended:
 *
 * <ol>
 *   <li>ephemeral keys = HKDF(salt = "UnidentifiedDelivery" ‖ recipient identity ‖ ephemeral
 *       public, ikm = DH(ephemeral, recipient identity), info = "", 96) → chain ‖ cipher ‖ MAC key;
 *       they protect the sender's 33-byte identity key ("encrypted static");
 *   <li>static keys = HKDF(salt = chain ‖ encrypted static, ikm = DH(sender identity, recipient
 *       identity), info = "", 96) → (unused) ‖ cipher ‖ MAC key; they protect the content.
 * </ol>
 *
 * Stateless and thread-safe. The AES-CTR counter never wraps: Java arrays hold far fewer than 2^32
 * blocks, so a 32-bit and a 128-bit counter give the same keystream.
 */
final class SealedV1Keys {
  /** Length of the truncated MAC appended to each ciphertext. */
  static final int MAC_LENGTH = 10;

  private static final byte[] SALT_PREFIX =
      "UnidentifiedDelivery".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_INFO = new byte[0];
  private static final int KEY_LENGTH = 32;
  private static final int DERIVED_LENGTH = 3 * KEY_LENGTH;

  private SealedV1Keys() {}

  /** Cipher and MAC key of one layer, and the chain key the next layer's salt starts with. */
  static final class LayerKeys {
    final byte[] chainKey;
    final byte[] cipherKey;
    final byte[] macKey;

    private LayerKeys(byte[] derived) {
      chainKey = Arrays.copyOfRange(derived, 0, KEY_LENGTH);
      cipherKey = Arrays.copyOfRange(derived, KEY_LENGTH, 2 * KEY_LENGTH);
      macKey = Arrays.copyOfRange(derived, 2 * KEY_LENGTH, DERIVED_LENGTH);
      Arrays.fill(derived, (byte) 0);
    }

    @Override
    public String toString() {
      return "LayerKeys[redacted]";
    }
  }

  /**
   * The ephemeral layer's keys. The sender passes its ephemeral private key and the recipient's
   * identity; the recipient passes its identity private key and the ephemeral public key.
   *
   * @throws InvalidKeyException {@code theirs} is a low-order point
   */
  static LayerKeys ephemeral(
      ECPrivateKey ours, ECPublicKey theirs, ECPublicKey recipientIdentity, ECPublicKey ephemeral)
      throws InvalidKeyException {
    byte[] salt = concat(SALT_PREFIX, recipientIdentity.serialize(), ephemeral.serialize());
    return new LayerKeys(derive(ours.calculateAgreement(theirs), salt));
  }

  /**
   * The static layer's keys (the chain key of the result is not used).
   *
   * @throws InvalidKeyException {@code theirs} is a low-order point
   */
  static LayerKeys statics(
      ECPrivateKey ours, ECPublicKey theirs, byte[] ephemeralChainKey, byte[] encryptedStatic)
      throws InvalidKeyException {
    return statics(ours.calculateAgreement(theirs), ephemeralChainKey, encryptedStatic);
  }

  /** The static layer's keys from the identity keys' agreement {@code shared}, computed already. */
  static LayerKeys statics(byte[] shared, byte[] ephemeralChainKey, byte[] encryptedStatic) {
    byte[] salt = concat(ephemeralChainKey, encryptedStatic);
    return new LayerKeys(derive(shared, salt));
  }

  /** AES-256-CTR of {@code plaintext}, then the truncated MAC of the ciphertext. */
  static byte[] encrypt(LayerKeys keys, byte[] plaintext) {
    byte[] ciphertext = ctr(keys.cipherKey, plaintext);
    byte[] out = Arrays.copyOf(ciphertext, ciphertext.length + MAC_LENGTH);
    System.arraycopy(mac(keys.macKey, ciphertext), 0, out, ciphertext.length, MAC_LENGTH);
    return out;
  }

  /**
   * Checks the MAC in constant time, then decrypts.
   *
   * @throws InvalidMessageException too short for a MAC, or the MAC does not match
   */
  static byte[] decrypt(LayerKeys keys, byte[] data, String what) throws InvalidMessageException {
    if (data.length < MAC_LENGTH) {
      throw new InvalidMessageException(what + " is too short");
    }
    byte[] ciphertext = Arrays.copyOf(data, data.length - MAC_LENGTH);
    byte[] theirMac = Arrays.copyOfRange(data, ciphertext.length, data.length);
    if (!Crypto.constantTimeEquals(mac(keys.macKey, ciphertext), theirMac)) {
      throw new InvalidMessageException(what + ": bad MAC");
    }
    return ctr(keys.cipherKey, ciphertext);
  }

  private static byte[] derive(byte[] sharedSecret, byte[] salt) {
    byte[] derived = Hkdf.deriveSecrets(sharedSecret, salt, NO_INFO, DERIVED_LENGTH);
    Arrays.fill(sharedSecret, (byte) 0);
    return derived;
  }

  private static byte[] mac(byte[] macKey, byte[] ciphertext) {
    return Arrays.copyOf(Crypto.hmacSha256(macKey, ciphertext), MAC_LENGTH);
  }

  private static byte[] ctr(byte[] key, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new IvParameterSpec(new byte[Crypto.AES_IV_LENGTH]));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-CTR unavailable", e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
