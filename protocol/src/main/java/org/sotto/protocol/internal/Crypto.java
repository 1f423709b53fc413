package org.sotto.protocol.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sotto.protocol.InvalidMessageException;

/**
 * The symmetric primitives the ratchets use, from the JDK: AES-256-CBC (AES-NI) and HMAC-SHA256.
 * Thread-safe (one JCA instance per thread, re-keyed on every use). Impossible JCA failures (a
 * missing AES-CBC provider) become {@link AssertionError}.
 */
public final class Crypto {
  /** AES-256 key length in bytes. */
  public static final int AES_KEY_LENGTH = 32;

  /** AES block and CBC IV length in bytes. */
  public static final int AES_IV_LENGTH = 16;

  /** HMAC-SHA256 output length in bytes. */
  public static final int HMAC_LENGTH = 32;

  private static final String AES_CBC = "AES/CBC/PKCS5Padding";
  private static final String HMAC_SHA256 = "HmacSHA256";

  /*
   * The JDK providers of AES-CBC (AES-NI, constant time) and HMAC-SHA256 (SHA-256 intrinsic),
   * looked up once: asking the JCA by name searches every installed provider on each call, which
   * costs more than encrypting a short message. Immutable references, not mutable state.
   */
  private static final Provider AES_PROVIDER;
  private static final Provider HMAC_PROVIDER;

  static {
    try {
      AES_PROVIDER = Cipher.getInstance(AES_CBC).getProvider();
      HMAC_PROVIDER = Mac.getInstance(HMAC_SHA256).getProvider();
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new AssertionError("the JDK has no AES-CBC or HMAC-SHA256", e);
    }
  }

  /*
   * One Mac and one Cipher per thread, re-keyed on every use: even with the provider known,
   * Mac.getInstance and Cipher.getInstance cost a service lookup and a reflective construction
   * each (3 % of a client's CPU per message in profiles), more than the HMAC of a chain step. Each
   * method below uses its thread's instance from init to doFinal without calling out, so no use can
   * interleave with another on the same thread.
   */
  private static final ThreadLocal<Mac> THREAD_HMAC = ThreadLocal.withInitial(Crypto::hmacInstance);
  private static final ThreadLocal<Cipher> THREAD_AES_CBC =
      ThreadLocal.withInitial(Crypto::aesCbcInstance);

  private Crypto() {}

  private static Mac hmacInstance() {
    try {
      return Mac.getInstance(HMAC_SHA256, HMAC_PROVIDER);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("HMAC-SHA256 unavailable", e);
    }
  }

  private static Cipher aesCbcInstance() {
    try {
      return Cipher.getInstance(AES_CBC, AES_PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-CBC unavailable", e);
    }
  }

  /** HMAC-SHA256 of the concatenation of {@code parts}. */
  public static byte[] hmacSha256(byte[] key, byte[]... parts) {
    Mac mac = THREAD_HMAC.get();
    try {
      mac.init(new SecretKeySpec(key, HMAC_SHA256));
    } catch (GeneralSecurityException e) {
      throw new AssertionError("HMAC-SHA256 unavailable", e);
    }
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  /**
   * A new JDK HMAC-SHA256 keyed with {@code key} (non-empty), the caller's own: a clone of the
   * thread's instance where the provider allows it (cheaper than a lookup).
   */
  public static Mac newHmacSha256(byte[] key) {
    Mac mac;
    try {
      mac = (Mac) THREAD_HMAC.get().clone();
    } catch (CloneNotSupportedException e) {
      mac = hmacInstance();
    }
    try {
      mac.init(new SecretKeySpec(key, HMAC_SHA256));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new AssertionError("HMAC-SHA256 unavailable", e);
    }
  }

  /** AES-256-CBC with PKCS#7 padding. */
  public static byte[] aesCbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
    try {
      Cipher cipher = THREAD_AES_CBC.get();
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
      Cipher cipher = THREAD_AES_CBC.get();
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
