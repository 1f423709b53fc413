package org.sotto.server.auth;

import java.util.concurrent.ConcurrentHashMap;

/** The single-node {@link ChallengeStore}: a bounded map from challenge to expiry. Thread-safe. */
public final class InMemoryChallenges implements ChallengeStore {
  /**
   * At most this many open challenges; beyond it the oldest expire early (memory bound under a
   * flood).
   */
  static final int MAX_OPEN = 100_000;

  private final ConcurrentHashMap<String, Long> open = new ConcurrentHashMap<>();

  @Override
  public void put(String challenge, long expiresMs, long nowMs) {
    if (open.size() >= MAX_OPEN) {
      open.values().removeIf(expires -> expires < nowMs);
      if (open.size() >= MAX_OPEN) {
        open.clear();
      }
    }
    open.put(challenge, expiresMs);
  }

  @Override
  public boolean take(String challenge, long nowMs) {
    Long expires = open.remove(challenge);
    return expires != null && expires >= nowMs;
  }
}
