package org.sotto.server.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.sotto.api.dto.PowChallenge;
import org.sotto.server.http.ApiException;

/**
 * Hashcash-style registration challenges: the server hands out a random 16-byte challenge; the
 * client finds a nonce such that SHA-256(challenge || nonce as 8 big-endian bytes) starts with
 * {@code bits} zero bits. Each challenge is valid once and for {@link #TTL_MS}. With {@code bits} 0
 * no proof is required. Thread-safe.
 */
public final class ProofOfWork {
  /**
   * A challenge expires after 10 minutes: long enough for 24 bits on a slow phone, short enough to
   * not pile up.
   */
  public static final long TTL_MS = 10 * 60_000L;

  private final int bits;
  private final SecureRandom random;
  private final Clock clock;
  private final ChallengeStore open;

  /** A verifier demanding {@code bits} leading zero bits (0 disables), challenges in memory. */
  public ProofOfWork(int bits, SecureRandom random, Clock clock) {
    this(bits, random, clock, new InMemoryChallenges());
  }

  /** Same, with open challenges kept in {@code open} (Redis in cluster mode). */
  public ProofOfWork(int bits, SecureRandom random, Clock clock, ChallengeStore open) {
    if (bits < 0 || bits > 32) {
      throw new IllegalArgumentException("pow bits must be 0..32");
    }
    this.bits = bits;
    this.random = random;
    this.clock = clock;
    this.open = open;
  }

  /** The difficulty. */
  public int bits() {
    return bits;
  }

  /** A fresh challenge. */
  public PowChallenge challenge() {
    long now = clock.millis();
    byte[] challenge = new byte[16];
    random.nextBytes(challenge);
    long expires = now + TTL_MS;
    open.put(Base64.getEncoder().encodeToString(challenge), expires, now);
    return new PowChallenge(challenge, bits, expires);
  }

  /** Checks (and uses up) a solved challenge, or throws 403. */
  public void verify(org.sotto.api.dto.ProofOfWork proof) {
    if (bits == 0) {
      return;
    }
    if (proof == null) {
      throw ApiException.forbidden(
          "proof_of_work_required", "solve a registration challenge first");
    }
    if (!open.take(Base64.getEncoder().encodeToString(proof.challenge()), clock.millis())) {
      throw ApiException.forbidden("proof_of_work_invalid", "unknown or expired challenge");
    }
    if (!solves(proof.challenge(), proof.nonce(), bits)) {
      throw ApiException.forbidden(
          "proof_of_work_invalid", "the nonce does not solve the challenge");
    }
  }

  /** Whether {@code nonce} solves {@code challenge} at {@code bits}. */
  public static boolean solves(byte[] challenge, long nonce, int bits) {
    byte[] h = hash(challenge, nonce);
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (h[i] != 0) {
        return false;
      }
    }
    int rest = bits % 8;
    return rest == 0 || (h[full] & 0xff) >>> (8 - rest) == 0;
  }

  /** Finds a nonce (for clients and tests): about 2^bits hashes. */
  public static long solve(byte[] challenge, int bits) {
    for (long nonce = 0; ; nonce++) {
      if (solves(challenge, nonce, bits)) {
        return nonce;
      }
    }
  }

  private static byte[] hash(byte[] challenge, long nonce) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(challenge);
      sha.update(ByteBuffer.allocate(8).putLong(nonce).array());
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every JDK", e);
    }
  }
}
