package org.sotto.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salted hashes of device secrets and codes. Device secrets are at least 24 random characters
 * chosen by the client, so a fast salted SHA-256 is enough (as Signal-Server does for its random
 * passwords); a slow KDF would only cost CPU on every request. Comparisons are constant-time.
 * Thread-safe.
 */
public final class Secrets {
  /** Salt length: unique per device, so equal secrets never hash equally. */
  public static final int SALT_BYTES = 16;

  private Secrets() {}

  /** A fresh random salt. */
  public static byte[] salt(SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return salt;
  }

  /** SHA-256(salt || utf8(secret)). */
  public static byte[] hash(byte[] salt, String secret) {
    MessageDigest sha = sha256();
    sha.update(salt);
    sha.update(secret.getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }

  /**
   * Unsalted SHA-256 for short-lived, random, server-generated codes (invites, provisioning codes).
   */
  public static byte[] hashCode(String code) {
    return sha256().digest(code.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code secret} matches the stored salt and hash, in constant time. */
  public static boolean matches(byte[] salt, byte[] expectedHash, String secret) {
    return MessageDigest.isEqual(hash(salt, secret), expectedHash);
  }

  /** A random URL-safe code of {@code bytes} random bytes. */
  public static String randomCode(SecureRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every JDK", e);
    }
  }
}
