package org.sotto.server.cluster;

import org.sotto.server.auth.ChallengeStore;
import org.sotto.server.auth.InMemoryChallenges;
import redis.clients.jedis.params.SetParams;

/**
 * Proof-of-work challenges in Redis, so a challenge fetched from one node is accepted by another:
 * each is a key {@code sotto:pow:<challenge>} expiring with the challenge and taken with {@code
 * GETDEL}, so it is used once across the cluster. While Redis is unreachable challenges are kept in
 * this node's memory instead (a client then has to redeem on the node that issued it, as on a
 * single node), and are looked up there first. Thread-safe.
 */
public final class RedisChallenges implements ChallengeStore {
  /** Prefix of every challenge key. */
  static final String KEY_PREFIX = "sotto:pow:";

  private final RedisNode node;
  private final InMemoryChallenges fallback = new InMemoryChallenges();

  /** Challenges in the Redis of {@code node}. */
  public RedisChallenges(RedisNode node) {
    this.node = node;
  }

  @Override
  public void put(String challenge, long expiresMs, long nowMs) {
    if (node.healthy()) {
      try {
        node.client()
            .set(
                KEY_PREFIX + challenge,
                Long.toString(expiresMs),
                SetParams.setParams().px(Math.max(1, expiresMs - nowMs)));
        node.commandResult(true);
        return;
      } catch (RuntimeException e) {
        node.commandResult(false);
      }
    }
    fallback.put(challenge, expiresMs, nowMs);
  }

  @Override
  public boolean take(String challenge, long nowMs) {
    if (fallback.take(challenge, nowMs)) {
      return true;
    }
    if (!node.healthy()) {
      return false;
    }
    try {
      String expires = node.client().getDel(KEY_PREFIX + challenge);
      node.commandResult(true);
      // Redis expires the key with the challenge (PX), by its own clock.
      return expires != null;
    } catch (RuntimeException e) {
      node.commandResult(false);
      return false;
    }
  }
}
