package org.sotto.server.auth;

/**
 * Where {@link ProofOfWork} keeps its open challenges: in memory on one node, or in Redis so that a
 * challenge fetched from one node can be redeemed on another. Each challenge can be taken once.
 * Implementations are thread-safe.
 */
public interface ChallengeStore {
  /** Records {@code challenge} (base64) as open until {@code expiresMs}. */
  void put(String challenge, long expiresMs, long nowMs);

  /** Removes {@code challenge} and says whether it was open and unexpired at {@code nowMs}. */
  boolean take(String challenge, long nowMs);
}
