package org.sotto.server.cluster;

import java.net.URI;
import java.util.concurrent.Executor;
import org.sotto.server.auth.Authenticator;
import org.sotto.server.auth.ChallengeStore;
import org.sotto.server.limits.SharedBuckets;
import org.sotto.server.messages.MessageBus;
import org.sotto.server.metrics.ServerMetrics;
import org.sotto.server.provisioning.ProvisioningRelay;

/**
 * Everything that goes through Redis when several nodes share one database: delivery events, rate
 * limit buckets, proof-of-work challenges and provisioning messages. Built by {@code SottoServer}
 * when a Redis address is configured; closing it closes every Redis connection. Thread-safe.
 */
public final class Cluster implements AutoCloseable {
  private final RedisNode node;
  private final RedisMessageBus bus;
  private final RedisBuckets buckets;
  private final RedisChallenges challenges;
  private final RedisProvisioningRelay relay;

  private Cluster(RedisNode node, RedisMessageBus bus, Executor executor) {
    this.node = node;
    this.bus = bus;
    this.buckets = new RedisBuckets(node);
    this.challenges = new RedisChallenges(node);
    this.relay = new RedisProvisioningRelay(node, executor);
  }

  /**
   * Joins the cluster at {@code redis} as {@code nodeId}; removals announced by other nodes drop
   * {@code authenticator}'s cached credentials, and {@code metrics} reports Redis's health.
   */
  public static Cluster start(
      URI redis,
      String nodeId,
      Authenticator authenticator,
      ServerMetrics metrics,
      Executor executor) {
    RedisNode node = RedisNode.start(redis, nodeId);
    RedisMessageBus bus =
        new RedisMessageBus(
            node,
            new RedisMessageBus.Forgetter() {
              @Override
              public void forget(org.sotto.api.Address device) {
                authenticator.forget(device);
              }

              @Override
              public void forget(org.sotto.api.AccountId account) {
                authenticator.forget(account);
              }
            });
    metrics.redis(bus::healthy);
    return new Cluster(node, bus, executor);
  }

  /** The delivery bus. */
  public MessageBus bus() {
    return bus;
  }

  /** Shared rate-limit buckets. */
  public SharedBuckets buckets() {
    return buckets;
  }

  /** Shared proof-of-work challenges. */
  public ChallengeStore challenges() {
    return challenges;
  }

  /** The provisioning relay. */
  public ProvisioningRelay provisioningRelay() {
    return relay;
  }

  /** Stops the bus threads and closes every Redis connection. */
  @Override
  public void close() {
    bus.close();
    node.close();
  }
}
