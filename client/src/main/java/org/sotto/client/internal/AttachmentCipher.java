package org.sotto.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signal's attachment format, streamed file to file: a fresh 64-byte key (32 bytes AES-256, 32
 * bytes HMAC-SHA256); blob = IV (16) || AES-256-CBC/PKCS#7 (plaintext) || HMAC-SHA256 (IV ||
 * ciphertext); digest = SHA-256 (blob). Receiving checks digest and MAC in constant time before a
 * single byte is decrypted. Primitives come from the JDK. Stateless; thread-safe.
 */
final class AttachmentCipher {
  static final int IV_BYTES = 16;
  static final int MAC_BYTES = 32;
  static final int AES_KEY_BYTES = 32;
  static final int BLOCK_BYTES = 16;

  /** Read buffer: few system calls, little memory, whatever the file size. */
  static final int BUFFER_BYTES = 64 * 1024;

  /** A blob is never smaller: IV, one padded block, MAC. */
  static final int MIN_BLOB_BYTES = IV_BYTES + BLOCK_BYTES + MAC_BYTES;

  /** The blob is not what the pointer promised (digest, MAC, padding or size). */
  static final class InvalidAttachmentException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidAttachmentException(String message) {
      super(message, null, false, false);
    }
  }

  /** What {@link #encrypt} produced. */
  record Encrypted(byte[] key, byte[] digest, long plainSize, long blobSize) {}

  private AttachmentCipher() {}

  /** The blob size for {@code plainSize} bytes of plaintext. */
  static long blobSize(long plainSize) {
    return IV_BYTES + (plainSize / BLOCK_BYTES + 1) * BLOCK_BYTES + MAC_BYTES;
  }

  /** Encrypts {@code plain} into the existing empty file {@code blob} under a fresh key. */
  static Encrypted encrypt(Path plain, Path blob, SecureRandom rng) throws IOException {
    byte[] key = new byte[Content.ATTACHMENT_KEY_BYTES];
    rng.nextBytes(key);
    byte[] iv = new byte[IV_BYTES];
    rng.nextBytes(iv);
    try {
      Cipher aes = aes(Cipher.ENCRYPT_MODE, key, iv);
      Mac mac = mac(key);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long plainSize = 0;
      long blobSize = 0;
      try (InputStream in = Files.newInputStream(plain);
          OutputStream out = Files.newOutputStream(blob, StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(iv);
        mac.update(iv);
        sha.update(iv);
        blobSize += iv.length;
        byte[] buf = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(buf)) > 0) {
          plainSize += n;
          byte[] c = aes.update(buf, 0, n);
          if (c != null && c.length > 0) {
            out.write(c);
            mac.update(c);
            sha.update(c);
            blobSize += c.length;
          }
        }
        byte[] last = aes.doFinal();
        out.write(last);
        mac.update(last);
        sha.update(last);
        byte[] tag = mac.doFinal();
        out.write(tag);
        sha.update(tag);
        blobSize += last.length + tag.length;
      }
      return new Encrypted(key, sha.digest(), plainSize, blobSize);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-256-CBC, HMAC-SHA256 and SHA-256 are always available", e);
    }
  }

  /**
   * Checks {@code blob} against {@code digest} and its MAC under {@code key} (both compared in
   * constant time), then decrypts it into the existing empty file {@code plain}. Nothing is
   * decrypted when a check fails. The caller deletes {@code plain} when this throws.
   *
   * @return the plaintext size
   */
  static long decrypt(Path blob, byte[] key, byte[] digest, Path plain)
      throws IOException, InvalidAttachmentException {
    if (key.length != Content.ATTACHMENT_KEY_BYTES || digest.length != Content.DIGEST_BYTES) {
      throw new InvalidAttachmentException("malformed key or digest");
    }
    long size = Files.size(blob);
    if (size < MIN_BLOB_BYTES || (size - IV_BYTES - MAC_BYTES) % BLOCK_BYTES != 0) {
      throw new InvalidAttachmentException("the blob has an impossible size");
    }
    long macAt = size - MAC_BYTES;
    try {
      Mac mac = mac(key);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] iv = new byte[IV_BYTES];
      byte[] tag = new byte[MAC_BYTES];
      try (InputStream in = Files.newInputStream(blob)) {
        byte[] buf = new byte[BUFFER_BYTES];
        long pos = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
          for (int i = 0; i < n; i++) {
            long at = pos + i;
            if (at < IV_BYTES) {
              iv[(int) at] = buf[i];
            } else if (at >= macAt) {
              tag[(int) (at - macAt)] = buf[i];
            }
          }
          long macEnd = Math.min(pos + n, macAt);
          if (macEnd > pos) {
            mac.update(buf, 0, (int) (macEnd - pos));
          }
          pos += n;
        }
      }
      boolean digestOk = MessageDigest.isEqual(sha.digest(), digest);
      boolean macOk = MessageDigest.isEqual(mac.doFinal(), tag);
      if (!digestOk || !macOk) {
        throw new InvalidAttachmentException("the attachment's digest or MAC does not match");
      }
      Cipher aes = aes(Cipher.DECRYPT_MODE, key, iv);
      long written = 0;
      try (InputStream in = Files.newInputStream(blob);
          OutputStream out = Files.newOutputStream(plain, StandardOpenOption.TRUNCATE_EXISTING)) {
        in.skipNBytes(IV_BYTES);
        long left = macAt - IV_BYTES;
        byte[] buf = new byte[BUFFER_BYTES];
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("the blob shrank while decrypting");
          }
          left -= n;
          byte[] p = aes.update(buf, 0, n);
          if (p != null) {
            out.write(p);
            written += p.length;
          }
        }
        byte[] last = aes.doFinal();
        out.write(last);
        written += last.length;
      }
      return written;
    } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
      throw new InvalidAttachmentException("the attachment's padding is invalid");
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-256-CBC, HMAC-SHA256 and SHA-256 are always available", e);
    }
  }

  private static Cipher aes(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(
        mode,
        new SecretKeySpec(Arrays.copyOfRange(key, 0, AES_KEY_BYTES), "AES"),
        new IvParameterSpec(iv));
    return c;
  }

  private static Mac mac(byte[] key) throws GeneralSecurityException {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(Arrays.copyOfRange(key, AES_KEY_BYTES, key.length), "HmacSHA256"));
    return m;
  }
}
