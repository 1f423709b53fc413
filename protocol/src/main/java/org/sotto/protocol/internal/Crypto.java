package org.sotto.protocol.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.sotto.protocol.InvalidMessageException;

/**
 * The symmetric primitives the ratchets use, from the JDK (AES) and BouncyCastle (HMAC-SHA256).
 * Stateless and thread-safe. Impossible JCA failures (a missing AES-CBC provider) become {@link
 * AssertionError}.
 */
public final class Crypto {
  /** AES-256 key length in bytes. */
  public static final int AES_KEY_LENGTH = 32;

  /** AES block and CBC IV length in bytes. */
  public static final int AES_IV_LENGTH = 16;

  /** HMAC-SHA256 output length in bytes. */
  public static final int HMAC_LENGTH = 32;

  private Crypto() {}

  /** HMAC-SHA256 of the concatenation of {@code parts}. */
  public static byte[] hmacSha256(byte[] key, byte[]... parts) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    for (byte[] part : parts) {
      mac.update(part, 0, part.length);
    }
    byte[] out = new byte[HMAC_LENGTH];
    mac.doFinal(out, 0);
    return out;
  }

  /** AES-256-CBC with PKCS#7 padding. */
  public static byte[] aesCbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-CBC unavailable", e);
    }
  }

  /**
   * AES-256-CBC with PKCS#7 padding; bad length or padding gives {@link InvalidMessageException}.
   */
  public static byte[] aesCbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext)
      throws InvalidMessageException {
    if (ciphertext.length == 0 || ciphertext.length % AES_IV_LENGTH != 0) {
      throw new InvalidMessageException(
          "ciphertext length is not a positive multiple of the block size");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(ciphertext);
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      throw new InvalidMessageException("bad padding", e);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-CBC unavailable", e);
    }
  }

  /** Constant-time equality. */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
