package org.sotto.client.storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts sensitive column values with AES-256-GCM under the store's data key. The associated data
 * names the row (table, column and key), so a value copied into another row or column fails
 * authentication instead of being read as that row's data. Stored form: {@code version (1) ‖ nonce
 * (12) ‖ ciphertext ‖ tag (16)}. Thread-safe: each thread reuses its own {@link Cipher},
 * initialised anew (key and a fresh nonce) for every value; looking a cipher up per value cost more
 * than encrypting a session record.
 */
final class FieldCipher {
  /** The data key's length: AES-256. */
  static final int KEY_LENGTH = 32;

  /**
   * Random 96-bit nonces, the size GCM is specified for. A store writes far fewer than the 2^32
   * values under one key after which random-nonce collisions become a concern (NIST SP 800-38D).
   */
  static final int NONCE_LENGTH = 12;

  /** The full 128-bit GCM tag. */
  static final int TAG_BITS = 128;

  /** Format version of a stored value, so the scheme can change without guessing. */
  private static final byte VERSION = 1;

  private static final byte[] DOMAIN = "sotto.client.field.v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;
  private final SecureRandom rng;
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(FieldCipher::newCipher);

  FieldCipher(SecretBytes dataKey, SecureRandom rng) {
    if (dataKey.length() != KEY_LENGTH) {
      throw new IllegalArgumentException("data key must be " + KEY_LENGTH + " bytes");
    }
    byte[] raw = dataKey.bytes();
    this.key = new SecretKeySpec(raw, "AES");
    Arrays.fill(raw, (byte) 0);
    this.rng = rng;
  }

  /**
   * The associated data for one value: a domain label, then each part length-prefixed so that no
   * two different (table, column, key…) tuples encode alike.
   */
  static byte[] rowId(String table, String column, Object... keyParts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DOMAIN);
    part(out, table);
    part(out, column);
    for (Object k : keyParts) {
      part(out, String.valueOf(k));
    }
    return out.toByteArray();
  }

  private static void part(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
    out.writeBytes(b);
  }

  byte[] encrypt(byte[] plaintext, byte[] rowId) {
    byte[] nonce = new byte[NONCE_LENGTH];
    rng.nextBytes(nonce);
    try {
      Cipher c = ciphers.get();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(rowId);
      byte[] ct = c.doFinal(plaintext);
      byte[] out = new byte[1 + NONCE_LENGTH + ct.length];
      out[0] = VERSION;
      System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
      System.arraycopy(ct, 0, out, 1 + NONCE_LENGTH, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * Decrypts a value written by {@link #encrypt} for the same row.
   *
   * @throws CorruptStoreException the value is malformed, belongs to another row, or was altered
   */
  byte[] decrypt(byte[] stored, byte[] rowId, String what) throws CorruptStoreException {
    if (stored == null || stored.length < 1 + NONCE_LENGTH + TAG_BITS / 8 || stored[0] != VERSION) {
      throw new CorruptStoreException("malformed encrypted value in " + what);
    }
    try {
      Cipher c = ciphers.get();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_LENGTH));
      c.updateAAD(rowId);
      return c.doFinal(stored, 1 + NONCE_LENGTH, stored.length - 1 - NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new CorruptStoreException("encrypted value in " + what + " failed authentication");
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-GCM is part of every JDK", e);
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-GCM is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "FieldCipher[redacted]";
  }
}
