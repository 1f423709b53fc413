package org.sotto.server.attachments;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Attachment ids: 24 random bytes, URL-safe base64 without padding (32 characters). The id is the
 * only capability needed to download an attachment, so it must be unguessable; and because the file
 * name is the id, every id from outside is checked against {@link #PATTERN} before it gets anywhere
 * near the file system (no {@code ..}, no separators, no encoded tricks). Stateless and
 * thread-safe.
 */
public final class AttachmentIds {
  /** 192 random bits: unguessable even with billions of attachments stored. */
  static final int RANDOM_BYTES = 24;

  /** Exactly what {@link #random} produces: 32 characters of the URL-safe base64 alphabet. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-]{32}");

  private AttachmentIds() {}

  /** A fresh random id. */
  public static String random(SecureRandom random) {
    byte[] b = new byte[RANDOM_BYTES];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Whether {@code id} has the exact shape of an id (null is not). */
  public static boolean valid(String id) {
    return id != null && PATTERN.matcher(id).matches();
  }
}
