package org.sotto.api;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Validation shared by the DTO records: every record checks itself in its constructor, so a value
 * that exists is well-formed. Failures are {@link IllegalArgumentException}s whose message names
 * the field and the rule, never the value (values may be secrets). Stateless and thread-safe.
 */
public final class ApiChecks {
  /** A handle: 3-32 of {@code [a-z0-9_.]} (compared case-insensitively, stored lower-case). */
  public static final Pattern HANDLE = Pattern.compile("[a-z0-9_.]{3,32}");

  /** Curve25519 public keys carry a type byte (0x05) before 32 bytes. */
  public static final int EC_PUBLIC_KEY_BYTES = 33;

  /** Kyber-1024 public keys carry a type byte (0x08) before 1568 bytes. */
  public static final int KYBER_PUBLIC_KEY_BYTES = 1569;

  /** XEdDSA signatures are 64 bytes. */
  public static final int SIGNATURE_BYTES = 64;

  /** Prekey ids are 24-bit in the Signal protocol (Medium.MAX_VALUE). */
  public static final int MAX_PREKEY_ID = 0xFFFFFF;

  /** Registration ids are 14-bit and never 0 in the Signal protocol. */
  public static final int MAX_REGISTRATION_ID = 0x3FFF;

  /**
   * Device ids are 1..127: libsignal encodes a device id in 7 bits for sealed-sender v2 and rejects
   * larger ones.
   */
  public static final int MAX_DEVICE_ID = 127;

  /**
   * At most this many one-time prekeys of each kind in one upload: bounds request size and work.
   */
  public static final int MAX_PREKEYS_PER_UPLOAD = 100;

  /**
   * Device secrets are random strings sent as the HTTP Basic password; short ones would be
   * guessable.
   */
  public static final int MIN_SECRET_CHARS = 24;

  /** Upper bound on a device secret, so hashing work per request stays bounded. */
  public static final int MAX_SECRET_CHARS = 128;

  private ApiChecks() {}

  /** Fails unless {@code condition} holds. */
  public static void check(boolean condition, String field, String rule) {
    if (!condition) {
      throw new IllegalArgumentException(field + ": " + rule);
    }
  }

  /** Fails if {@code value} is null. Returns it. */
  public static <T> T required(T value, String field) {
    check(value != null, field, "is required");
    return value;
  }

  /** A Curve25519 public key: 33 bytes, type byte 0x05. */
  public static byte[] ecPublicKey(byte[] key, String field) {
    required(key, field);
    check(
        key.length == EC_PUBLIC_KEY_BYTES && key[0] == 0x05,
        field,
        "must be a 33-byte Curve25519 key");
    return key;
  }

  /** A Kyber-1024 public key: 1569 bytes, type byte 0x08. */
  public static byte[] kyberPublicKey(byte[] key, String field) {
    required(key, field);
    check(
        key.length == KYBER_PUBLIC_KEY_BYTES && key[0] == 0x08,
        field,
        "must be a 1569-byte Kyber-1024 key");
    return key;
  }

  /** A 64-byte signature. */
  public static byte[] signature(byte[] sig, String field) {
    required(sig, field);
    check(sig.length == SIGNATURE_BYTES, field, "must be 64 bytes");
    return sig;
  }

  /** A byte string of {@code min..max} bytes. */
  public static byte[] bytes(byte[] value, String field, int min, int max) {
    required(value, field);
    check(
        value.length >= min && value.length <= max,
        field,
        "must be " + min + ".." + max + " bytes");
    return value;
  }

  /** A prekey id in 0..2^24-1. */
  public static int preKeyId(int id, String field) {
    check(id >= 0 && id <= MAX_PREKEY_ID, field, "must be 0.." + MAX_PREKEY_ID);
    return id;
  }

  /** A device id in 1..127. */
  public static int deviceId(int id, String field) {
    check(id >= 1 && id <= MAX_DEVICE_ID, field, "must be 1.." + MAX_DEVICE_ID);
    return id;
  }

  /** A registration id in 1..16383. */
  public static int registrationId(int id, String field) {
    check(id >= 1 && id <= MAX_REGISTRATION_ID, field, "must be 1.." + MAX_REGISTRATION_ID);
    return id;
  }

  /**
   * A device secret: printable ASCII without ':' (it travels as an HTTP Basic password), 24..128
   * chars.
   */
  public static String secret(String secret, String field) {
    required(secret, field);
    check(
        secret.length() >= MIN_SECRET_CHARS && secret.length() <= MAX_SECRET_CHARS,
        field,
        "must be " + MIN_SECRET_CHARS + ".." + MAX_SECRET_CHARS + " characters");
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      check(c > 0x20 && c < 0x7f && c != ':', field, "must be printable ASCII without ':'");
    }
    return secret;
  }

  /** A handle, normalised to lower case; null stays null. */
  public static String handle(String handle, String field) {
    if (handle == null) {
      return null;
    }
    String lower = handle.toLowerCase(java.util.Locale.ROOT);
    check(HANDLE.matcher(lower).matches(), field, "must be 3-32 of [a-z0-9_.]");
    return lower;
  }

  /**
   * A list of at most {@code max} non-null items; null becomes the empty list. Returns an immutable
   * copy.
   */
  public static <T> List<T> list(List<T> items, String field, int max) {
    if (items == null) {
      return List.of();
    }
    check(items.size() <= max, field, "must have at most " + max + " items");
    for (T item : items) {
      check(item != null, field, "must not contain null");
    }
    return List.copyOf(items);
  }
}
