package org.sotto.server.cluster;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.server.provisioning.ProvisioningRelay;
import redis.clients.jedis.params.SetParams;

/**
 * Relays provisioning messages between nodes: a node whose socket waits on an address records
 * {@code sotto:prov:<address>} → its node channel (expiring with the socket's idle timeout); the
 * node that receives the PUT takes that record with {@code GETDEL} (each address works once) and
 * publishes the encrypted body on the owner's channel. The owner hands it to its socket and answers
 * on the relaying node's channel, so the PUT reports whether the new device really got it. The body
 * is ciphertext and is never logged. Thread-safe.
 */
public final class RedisProvisioningRelay implements ProvisioningRelay {
  /** Prefix of the address records. */
  static final String KEY_PREFIX = "sotto:prov:";

  /**
   * An address record outlives no socket: 10 minutes, the provisioning socket's idle timeout (a new
   * device waits no longer for its message).
   */
  static final long ADDRESS_TTL_MS = 10 * 60_000L;

  /**
   * How long the relaying node waits for the owner's answer: the owner's socket send may take up to
   * 10 s (its own timeout), plus time for the two hops through Redis.
   */
  static final long REPLY_TIMEOUT_MS = 15_000;

  /** Relays waiting for an answer at once; more are refused (memory bound under a flood). */
  static final int MAX_PENDING = 10_000;

  private static final Logger log = LoggerFactory.getLogger(RedisProvisioningRelay.class);

  private final RedisNode node;
  private final Executor executor;
  private final ConcurrentHashMap<String, CompletableFuture<Boolean>> pending =
      new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
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
      if (pending.size() >= MAX_PENDING) {
        node.commandResult(true);
        return false;
      }
      byte[] n = new byte[16];
      random.nextBytes(n);
      String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
      CompletableFuture<Boolean> answer = new CompletableFuture<>();
      pending.put(nonce, answer);
      try {
        long receivers =
            node.client()
                .publish(
                    channel,
                    "P|"
                        + address
                        + "|"
                        + RedisNode.nodeChannel(node.nodeId())
                        + "|"
                        + nonce
                        + "|"
                        + Base64.getEncoder().encodeToString(body));
        node.commandResult(true);
        return receivers > 0 && answer.get(REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException | TimeoutException e) {
        return false;
      } finally {
        pending.remove(nonce);
      }
    } catch (RuntimeException e) {
      node.commandResult(false);
      return false;
    }
  }

  private void received(String message) {
    String[] f = message.split("\\|", -1);
    if (f.length == 3 && f[0].equals("A")) {
      CompletableFuture<Boolean> answer = pending.get(f[1]);
      if (answer != null) {
        answer.complete(f[2].equals("1"));
      }
      return;
    }
    if (f.length != 5 || !f[0].equals("P") || !f[2].startsWith(RedisNode.nodeChannel(""))) {
      return;
    }
    String address = f[1];
    String replyChannel = f[2];
    String nonce = f[3];
    byte[] body;
    try {
      body = Base64.getDecoder().decode(f[4]);
    } catch (IllegalArgumentException e) {
      return; // malformed
    }
    // Sending to the socket may wait on the client: never on the subscriber thread.
    executor.execute(
        () -> {
          boolean delivered = local.test(address, body);
          if (!delivered) {
            log.debug("relayed provisioning message found no socket");
          }
          try {
            node.client().publish(replyChannel, "A|" + nonce + "|" + (delivered ? "1" : "0"));
            node.commandResult(true);
          } catch (RuntimeException e) {
            node.commandResult(false); // the relaying node times out and answers 404
          }
        });
  }
}
