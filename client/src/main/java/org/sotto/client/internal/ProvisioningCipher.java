package org.sotto.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kdf.Hkdf;

/**
 * Encrypts a provisioning message to the new device's X25519 public key (from its link URI): X25519
 * with a fresh ephemeral key, HKDF-SHA256 with the info string {@value #INFO} to a 32-byte key,
 * AES-256-GCM. Wire form: {@code version (1) ‖ ephemeral public key (32) ‖ nonce (12) ‖ ciphertext
 * ‖ tag (16)}; the version and ephemeral key are the associated data. The relay (the server) sees
 * only this. Stateless.
 */
final class ProvisioningCipher {
  /** The wire version this client writes and reads. */
  static final byte VERSION = 1;

  /** HKDF info: names what the key is for, so it can never be confused with another key. */
  static final String INFO = "Sotto Provisioning Message v1";

  /** AES-256 key. */
  private static final int KEY_BYTES = 32;

  /** GCM's standard 96-bit nonce. */
  private static final int NONCE_BYTES = 12;

  /** GCM's full 128-bit tag. */
  private static final int TAG_BITS = 128;

  private static final int HEADER_BYTES = 1 + ECPublicKey.KEY_LENGTH;

  /** The smallest well-formed body: header, nonce and tag around an empty plaintext. */
  static final int MIN_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BITS / 8;

  private ProvisioningCipher() {}

  /** Encrypts {@code plaintext} to {@code recipient}. */
  static byte[] encrypt(ECPublicKey recipient, byte[] plaintext, SecureRandom rng) {
    ECKeyPair ephemeral = ECKeyPair.generate(rng);
    byte[] key = null;
    try {
      key = key(ephemeral.privateKey(), recipient);
      byte[] header = new byte[HEADER_BYTES];
      header[0] = VERSION;
      System.arraycopy(ephemeral.publicKey().rawBytes(), 0, header, 1, ECPublicKey.KEY_LENGTH);
      byte[] nonce = new byte[NONCE_BYTES];
      rng.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(header);
      byte[] sealed = c.doFinal(plaintext);
      byte[] out = new byte[HEADER_BYTES + NONCE_BYTES + sealed.length];
      System.arraycopy(header, 0, out, 0, HEADER_BYTES);
      System.arraycopy(nonce, 0, out, HEADER_BYTES, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, HEADER_BYTES + NONCE_BYTES, sealed.length);
      return out;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("recipient: not a usable X25519 public key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  /**
   * Decrypts a body sent to {@code ours}.
   *
   * @throws GeneralSecurityException the body is malformed, or was not encrypted to this key or was
   *     changed on the way
   */
  static byte[] decrypt(ECPrivateKey ours, byte[] body) throws GeneralSecurityException {
    if (body == null || body.length < MIN_BYTES || body[0] != VERSION) {
      throw new GeneralSecurityException("malformed provisioning body");
    }
    byte[] key = null;
    try {
      ECPublicKey theirs = ECPublicKey.fromRaw(Arrays.copyOfRange(body, 1, HEADER_BYTES));
      key = key(ours, theirs);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, body, HEADER_BYTES, NONCE_BYTES));
      c.updateAAD(body, 0, HEADER_BYTES);
      return c.doFinal(body, HEADER_BYTES + NONCE_BYTES, body.length - HEADER_BYTES - NONCE_BYTES);
    } catch (InvalidKeyException e) {
      throw new GeneralSecurityException("unusable ephemeral key in provisioning body");
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  private static byte[] key(ECPrivateKey ours, ECPublicKey theirs) throws InvalidKeyException {
    byte[] shared = ours.calculateAgreement(theirs);
    try {
      return Hkdf.deriveSecrets(shared, null, INFO.getBytes(StandardCharsets.UTF_8), KEY_BYTES);
    } finally {
      Arrays.fill(shared, (byte) 0);
    }
  }
}
