package org.sotto.client.transport;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.sotto.api.dto.PowChallenge;
import org.sotto.api.dto.ProofOfWork;

/**
 * Solves registration challenges: finds a nonce such that SHA-256(challenge || nonce as 8
 * big-endian bytes) starts with the required number of zero bits, exactly as the server checks.
 * Stateless and thread-safe.
 */
public final class ProofOfWorkSolver {
  /**
   * The server never asks for more than 32 bits; refusing more keeps a hostile server from making
   * the client spin forever.
   */
  public static final int MAX_BITS = 32;

  private ProofOfWorkSolver() {}

  /** Nonces tried between checks for interruption: cheap, and a few milliseconds of work. */
  static final int INTERRUPT_CHECK_MASK = 0xFFFF;

  /** A proof for {@code challenge}; about 2^bits hashes. Stops when the thread is interrupted. */
  public static ProofOfWork solve(PowChallenge challenge) throws InterruptedException {
    int bits = challenge.bits();
    if (bits < 0 || bits > MAX_BITS) {
      throw new IllegalArgumentException("proof-of-work bits must be 0.." + MAX_BITS);
    }
    byte[] c = challenge.challenge().clone();
    MessageDigest sha = sha256();
    ByteBuffer nonceBytes = ByteBuffer.allocate(Long.BYTES);
    for (long nonce = 0; ; nonce++) {
      if ((nonce & INTERRUPT_CHECK_MASK) == 0 && Thread.interrupted()) {
        throw new InterruptedException("proof-of-work interrupted");
      }
      sha.update(c);
      nonceBytes.clear();
      sha.update(nonceBytes.putLong(nonce).array());
      if (leadingZeroBits(sha.digest(), bits)) {
        return new ProofOfWork(c, nonce);
      }
    }
  }

  /** Whether {@code hash} starts with {@code bits} zero bits. */
  static boolean leadingZeroBits(byte[] hash, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (hash[i] != 0) {
        return false;
      }
    }
    int rest = bits % 8;
    return rest == 0 || (hash[full] & 0xff) >>> (8 - rest) == 0;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every JDK", e);
    }
  }
}
