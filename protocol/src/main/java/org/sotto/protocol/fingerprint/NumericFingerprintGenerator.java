package org.sotto.protocol.fingerprint;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.sotto.protocol.IdentityKey;

/**
 * Computes safety numbers as libsignal does. Each side's identity key and stable identifier (in
 * Signal: the account UUID, see {@link #uuidIdentifier(UUID)}) are hashed with SHA-512, iterated
 * {@code iterations} times to slow down anyone searching for a key with a matching number; the
 * first 30 bytes of that hash give the side's 30 digits, the first 32 its digest in the scannable
 * code.
 *
 * <p>Use {@code new NumericFingerprintGenerator(ITERATIONS).createFor(VERSION, ...)} to match
 * Signal's apps. Immutable and thread-safe: every call uses its own digest.
 */
public final class NumericFingerprintGenerator {
  /**
   * The scannable-code version of Signal's apps: 2 marks codes whose identifiers are account UUIDs
   * (version 1 used phone numbers). Only the scannable code carries it: the 60 digits do not depend
   * on it, and a code of another version cannot be compared.
   */
  public static final int VERSION = 2;

  /**
   * The iteration count of Signal's apps. Each iteration multiplies an attacker's work to find an
   * identity key with a given 30-digit half: 10^30 × 5,200 is about 2^112, against 2^100 for the
   * digits alone.
   */
  public static final int ITERATIONS = 5200;

  /** Fewest iterations accepted, as in libsignal: one or none would stretch nothing. */
  public static final int MIN_ITERATIONS = 2;

  /**
   * Most iterations accepted, as in libsignal: a million SHA-512 per side is already a second of
   * work on a phone, and a larger count is a misconfiguration that would hang the caller.
   */
  public static final int MAX_ITERATIONS = 1_000_000;

  /** Length of an identifier made from a UUID: its 16 bytes, most significant first. */
  public static final int UUID_IDENTIFIER_LENGTH = 16;

  /**
   * The two leading bytes of the first hash input: the format of the iterated hash, 0 in every
   * libsignal release, and independent of {@link #VERSION}.
   */
  private static final short HASH_FORMAT = 0;

  /** Each digit group is made from 5 hash bytes (40 bits) reduced mod 10^5. */
  private static final int BYTES_PER_GROUP = 5;

  private static final int DIGITS_PER_GROUP = 5;

  /** 10^{@value #DIGITS_PER_GROUP}. */
  private static final long GROUP_MODULUS = 100_000;

  /** 6 groups of 5 digits: a side's 30 digits, from the first 30 bytes of its hash. */
  private static final int GROUPS_PER_SIDE =
      DisplayableFingerprint.DIGITS_PER_SIDE / DIGITS_PER_GROUP;

  /**
   * The canonical text form only (8-4-4-4-12 hex digits), unlike lenient {@link UUID#fromString}.
   */
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final int iterations;

  /**
   * A generator hashing {@code iterations} times ({@link #ITERATIONS} for Signal).
   *
   * @throws IllegalArgumentException outside {@value #MIN_ITERATIONS}..{@value #MAX_ITERATIONS}
   */
  public NumericFingerprintGenerator(int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "iterations must be in " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + ": " + iterations);
    }
    this.iterations = iterations;
  }

  /**
   * The safety number of the conversation between the local and the remote identity, as the local
   * side sees it. The remote side, calling this with the two swapped, gets the same displayable
   * form and the mirror image of the scannable one.
   *
   * @param version the scannable-code version ({@link #VERSION} for Signal), 0 or more
   * @param localStableIdentifier the local account's identifier ({@link #uuidIdentifier(UUID)})
   * @param remoteStableIdentifier the remote account's identifier
   * @throws IllegalArgumentException if {@code version} is negative
   */
  public Fingerprint createFor(
      int version,
      byte[] localStableIdentifier,
      IdentityKey localKey,
      byte[] remoteStableIdentifier,
      IdentityKey remoteKey) {
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative: " + version);
    }
    byte[] localHash =
        iteratedHash(
            Objects.requireNonNull(localStableIdentifier, "localStableIdentifier"),
            Objects.requireNonNull(localKey, "localKey"));
    byte[] remoteHash =
        iteratedHash(
            Objects.requireNonNull(remoteStableIdentifier, "remoteStableIdentifier"),
            Objects.requireNonNull(remoteKey, "remoteKey"));
    return new Fingerprint(
        new DisplayableFingerprint(digits(localHash), digits(remoteHash)),
        new ScannableFingerprint(version, localHash, remoteHash));
  }

  /** The stable identifier of an account: its UUID's {@value #UUID_IDENTIFIER_LENGTH} bytes. */
  public static byte[] uuidIdentifier(UUID uuid) {
    return ByteBuffer.allocate(UUID_IDENTIFIER_LENGTH)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array();
  }

  /**
   * The stable identifier of an account given as a UUID string in the canonical 36-character form
   * (either case), such as a {@code ProtocolAddress} name.
   *
   * @throws IllegalArgumentException if {@code uuid} is not in that form
   */
  public static byte[] uuidIdentifier(String uuid) {
    Objects.requireNonNull(uuid, "uuid");
    if (!UUID_TEXT.matcher(uuid).matches()) {
      throw new IllegalArgumentException("not a UUID in canonical form");
    }
    return uuidIdentifier(UUID.fromString(uuid));
  }

  /**
   * SHA-512 over {@code HASH_FORMAT ‖ key ‖ identifier ‖ key}, then {@code iterations − 1} more
   * times over {@code previous hash ‖ key}.
   */
  private byte[] iteratedHash(byte[] identifier, IdentityKey key) {
    MessageDigest sha512 = sha512();
    byte[] publicKey = key.serialize();
    byte[] hash =
        ByteBuffer.allocate(Short.BYTES + publicKey.length + identifier.length)
            .putShort(HASH_FORMAT)
            .put(publicKey)
            .put(identifier)
            .array();
    for (int i = 0; i < iterations; i++) {
      sha512.update(hash);
      sha512.update(publicKey);
      hash = sha512.digest();
    }
    return hash;
  }

  /** A side's 30 digits: 6 groups of 5 bytes, each read big-endian and reduced mod 10^5. */
  private static String digits(byte[] hash) {
    StringBuilder sb = new StringBuilder(DisplayableFingerprint.DIGITS_PER_SIDE);
    for (int group = 0; group < GROUPS_PER_SIDE; group++) {
      long value = 0;
      for (int i = 0; i < BYTES_PER_GROUP; i++) {
        value = (value << Byte.SIZE) | (hash[group * BYTES_PER_GROUP + i] & 0xFF);
      }
      // ASCII digits whatever the default locale (String.format would localize them).
      String text = Long.toString(value % GROUP_MODULUS);
      sb.append("0".repeat(DIGITS_PER_GROUP - text.length())).append(text);
    }
    return sb.toString();
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform provides SHA-512", e);
    }
  }
}
