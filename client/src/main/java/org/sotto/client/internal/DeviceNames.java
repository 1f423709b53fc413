package org.sotto.client.internal;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.kdf.Hkdf;

/**
 * Device names as the server stores them: AES-256-GCM under a key derived (HKDF-SHA256, info
 * {@value #INFO}) from the account's identity private key, which every device of the account holds
 * and the server never sees. Wire form: {@code version (1) ‖ nonce (12) ‖ ciphertext ‖ tag (16)};
 * the version byte is the associated data. Stateless.
 */
final class DeviceNames {
  /** The wire version this client writes and reads. */
  static final byte VERSION = 1;

  /** HKDF info: this key encrypts device names and nothing else. */
  static final String INFO = "Sotto Device Name v1";

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private DeviceNames() {}

  /** Encrypts {@code name} for the account of {@code identity}. */
  static byte[] encrypt(IdentityKeyPair identity, String name, SecureRandom rng) {
    byte[] key = key(identity);
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      rng.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(new byte[] {VERSION});
      byte[] sealed = c.doFinal(name.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
      out[0] = VERSION;
      System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The name in {@code blob}, or empty when it does not decrypt under this account's key. */
  static Optional<String> decrypt(IdentityKeyPair identity, byte[] blob) {
    if (blob.length < 1 + NONCE_BYTES + TAG_BITS / 8 || blob[0] != VERSION) {
      return Optional.empty();
    }
    byte[] key = key(identity);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, blob, 1, NONCE_BYTES));
      c.updateAAD(blob, 0, 1);
      byte[] plain = c.doFinal(blob, 1 + NONCE_BYTES, blob.length - 1 - NONCE_BYTES);
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(plain))
              .toString());
    } catch (GeneralSecurityException | CharacterCodingException e) {
      return Optional.empty();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] key(IdentityKeyPair identity) {
    byte[] secret = identity.privateKey().serialize();
    try {
      return Hkdf.deriveSecrets(secret, null, INFO.getBytes(StandardCharsets.UTF_8), KEY_BYTES);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
