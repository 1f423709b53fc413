package org.sotto.server.cluster;

import java.util.Base64;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.server.provisioning.ProvisioningRelay;
import redis.clients.jedis.params.SetParams;

/**
 * Relays provisioning messages between nodes: a node whose socket waits on an address records
 * {@code sotto:prov:<address>} → its node channel (expiring with the socket's idle timeout); the
 * node that receives the PUT takes that record with {@code GETDEL} (each address works once) and
 * publishes the encrypted body on the owner's channel. The body is ciphertext and is never logged.
 * A relay counts as delivered when the owning node's subscriber received it. Thread-safe.
 */
public final class RedisProvisioningRelay implements ProvisioningRelay {
  /** Prefix of the address records. */
  static final String KEY_PREFIX = "sotto:prov:";

  /**
   * An address record outlives no socket: 10 minutes, the provisioning socket's idle timeout (a new
   * device waits no longer for its message).
   */
  static final long ADDRESS_TTL_MS = 10 * 60_000L;

  private static final Logger log = LoggerFactory.getLogger(RedisProvisioningRelay.class);

  private final RedisNode node;
  private final Executor executor;
  private volatile BiPredicate<String, byte[]> local = (a, b) -> false;

  /**
   * A relay over {@code node}; relayed messages are handed to local sockets on {@code executor}.
   */
  public RedisProvisioningRelay(RedisNode node, Executor executor) {
    this.node = node;
    this.executor = executor;
    node.on(RedisNode.nodeChannel(node.nodeId()), this::received);
  }

  @Override
  public void attach(BiPredicate<String, byte[]> local) {
    this.local = local;
  }

  @Override
  public void waiting(String address) {
    if (!node.healthy()) {
      return; // only PUTs reaching this node can find the socket until Redis is back
    }
    try {
      node.client()
          .set(
              KEY_PREFIX + address,
              RedisNode.nodeChannel(node.nodeId()),
              SetParams.setParams().px(ADDRESS_TTL_MS));
      node.commandResult(true);
    } catch (RuntimeException e) {
      node.commandResult(false); // the socket still works for PUTs reaching this node
    }
  }

  @Override
  public void gone(String address) {
    if (!node.healthy()) {
      return; // the record expires by itself
    }
    try {
      node.client().del(KEY_PREFIX + address);
      node.commandResult(true);
    } catch (RuntimeException e) {
      node.commandResult(false); // the record expires by itself
    }
  }

  @Override
  public boolean relay(String address, byte[] body) {
    if (!node.healthy()) {
      return false;
    }
    try {
      String channel = node.client().getDel(KEY_PREFIX + address);
      if (channel == null) {
        node.commandResult(true);
        return false;
      }
      long receivers =
          node.client()
              .publish(channel, "P|" + address + "|" + Base64.getEncoder().encodeToString(body));
      node.commandResult(true);
      return receivers > 0;
    } catch (RuntimeException e) {
      node.commandResult(false);
      return false;
    }
  }

  private void received(String message) {
    String[] f = message.split("\\|", -1);
    if (f.length != 3 || !f[0].equals("P")) {
      return;
    }
    byte[] body = Base64.getDecoder().decode(f[2]);
    String address = f[1];
    // Sending to the socket may wait on the client: never on the subscriber thread.
    executor.execute(
        () -> {
          if (!local.test(address, body)) {
            log.debug("relayed provisioning message found no socket");
          }
        });
  }
}
