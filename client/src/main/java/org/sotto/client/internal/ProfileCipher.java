package org.sotto.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sotto.protocol.kdf.Hkdf;

/**
 * The profile key's uses: the 16-byte unidentified-delivery token the server checks on sealed
 * sends, and the AES-256-GCM key of the profile name. Both are HKDF-SHA256 outputs of the 32-byte
 * profile key under their own info string, so knowing the token (as the server does) reveals
 * nothing about the name key. Stateless; thread-safe.
 *
 * <p>Name blob: {@code version (1 byte) ‖ nonce (12) ‖ AES-GCM(name padded with zero bytes to a
 * bucket length) ‖ tag (16)}. The version byte is authenticated as associated data.
 */
final class ProfileCipher {
  /** Length of a profile key: 256 bits, the strength of the rest of the protocol. */
  static final int PROFILE_KEY_BYTES = 32;

  /** Length of the unidentified-delivery token, fixed by the server's API. */
  static final int ACCESS_KEY_BYTES = 16;

  /** Version byte of the name blob format below. */
  static final byte BLOB_VERSION = 1;

  /** AES-GCM nonce length: 96 bits, the size GCM is defined for; random per encryption. */
  static final int NONCE_BYTES = 12;

  /** AES-GCM tag length: the full 128 bits. */
  static final int TAG_BYTES = 16;

  /**
   * Padded plaintext lengths of a name. Every name becomes one of these few lengths, so the blob's
   * size tells the server (and anyone who may read profiles) almost nothing about the name's
   * length. The small bucket covers nearly every real name; the large one is the longest name
   * accepted.
   */
  static final int[] NAME_BUCKETS = {64, 256};

  /** Longest name accepted, in UTF-8 bytes: the largest bucket. */
  static final int MAX_NAME_BYTES = NAME_BUCKETS[NAME_BUCKETS.length - 1];

  private static final byte[] ACCESS_KEY_INFO =
      "Sotto profile unidentified access key v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NAME_KEY_INFO =
      "Sotto profile name key v1".getBytes(StandardCharsets.US_ASCII);

  /** The name blob could not be opened: another key, tampered or truncated, or bad padding. */
  static final class UnreadableProfileException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableProfileException(String message) {
      super(message, null, false, false);
    }
  }

  private ProfileCipher() {}

  /** A fresh random profile key. */
  static byte[] generateKey(SecureRandom rng) {
    byte[] key = new byte[PROFILE_KEY_BYTES];
    rng.nextBytes(key);
    return key;
  }

  /** The unidentified-delivery token of {@code profileKey}. */
  static byte[] accessKey(byte[] profileKey) {
    checkKey(profileKey);
    return Hkdf.deriveSecrets(profileKey, null, ACCESS_KEY_INFO, ACCESS_KEY_BYTES);
  }

  /**
   * Encrypts {@code name} (empty for "no name") under {@code profileKey}.
   *
   * @throws IllegalArgumentException the name is longer than {@link #MAX_NAME_BYTES} in UTF-8 or
   *     contains a NUL character (the padding byte)
   */
  static byte[] encryptName(byte[] profileKey, String name, SecureRandom rng) {
    checkKey(profileKey);
    byte[] utf8 = checkName(name).getBytes(StandardCharsets.UTF_8);
    byte[] padded = Arrays.copyOf(utf8, bucket(utf8.length));
    byte[] nonce = new byte[NONCE_BYTES];
    rng.nextBytes(nonce);
    byte[] nameKey = nameKey(profileKey);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(nameKey, "AES"),
          new GCMParameterSpec(TAG_BYTES * 8, nonce));
      c.updateAAD(new byte[] {BLOB_VERSION});
      byte[] sealed = c.doFinal(padded);
      byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
      out[0] = BLOB_VERSION;
      System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-GCM with a 256-bit key is always available", e);
    } finally {
      Arrays.fill(nameKey, (byte) 0);
      Arrays.fill(padded, (byte) 0);
      Arrays.fill(utf8, (byte) 0);
    }
  }

  /**
   * Decrypts a name blob; an empty result means the owner set no name.
   *
   * @throws UnreadableProfileException wrong key, tampered, truncated, unknown version or padding
   */
  static String decryptName(byte[] profileKey, byte[] blob) throws UnreadableProfileException {
    checkKey(profileKey);
    Objects.requireNonNull(blob, "blob");
    if (blob.length < 1 + NONCE_BYTES + TAG_BYTES) {
      throw new UnreadableProfileException("profile blob too short");
    }
    if (blob[0] != BLOB_VERSION) {
      throw new UnreadableProfileException("profile blob of an unknown version");
    }
    int plainLength = blob.length - 1 - NONCE_BYTES - TAG_BYTES;
    if (Arrays.stream(NAME_BUCKETS).noneMatch(b -> b == plainLength)) {
      throw new UnreadableProfileException("profile blob of a length no bucket has");
    }
    byte[] nameKey = nameKey(profileKey);
    byte[] padded;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(nameKey, "AES"),
          new GCMParameterSpec(TAG_BYTES * 8, blob, 1, NONCE_BYTES));
      c.updateAAD(blob, 0, 1);
      padded = c.doFinal(blob, 1 + NONCE_BYTES, blob.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new UnreadableProfileException("profile blob does not authenticate under this key");
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-GCM with a 256-bit key is always available", e);
    } finally {
      Arrays.fill(nameKey, (byte) 0);
    }
    int end = padded.length;
    while (end > 0 && padded[end - 1] == 0) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      if (padded[i] == 0) {
        throw new UnreadableProfileException("profile name has a NUL inside");
      }
    }
    String name = new String(padded, 0, end, StandardCharsets.UTF_8);
    Arrays.fill(padded, (byte) 0);
    return name;
  }

  /** {@code name}, checked: at most {@link #MAX_NAME_BYTES} UTF-8 bytes and no NUL. */
  static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("name: contains a NUL character");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("name: longer than " + MAX_NAME_BYTES + " UTF-8 bytes");
    }
    return name;
  }

  private static int bucket(int length) {
    for (int b : NAME_BUCKETS) {
      if (length <= b) {
        return b;
      }
    }
    throw new IllegalArgumentException("name: longer than " + MAX_NAME_BYTES + " UTF-8 bytes");
  }

  private static byte[] nameKey(byte[] profileKey) {
    return Hkdf.deriveSecrets(profileKey, null, NAME_KEY_INFO, PROFILE_KEY_BYTES);
  }

  private static void checkKey(byte[] profileKey) {
    Objects.requireNonNull(profileKey, "profileKey");
    if (profileKey.length != PROFILE_KEY_BYTES) {
      throw new IllegalArgumentException("profileKey: not " + PROFILE_KEY_BYTES + " bytes");
    }
  }
}
