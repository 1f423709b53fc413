package org.sotto.server.cluster;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * This server node's link to Redis: a connection pool for commands and one dedicated subscriber
 * connection on its own thread, which receives the cluster channel {@value #BUS_CHANNEL} and this
 * node's own channel. The subscriber reconnects by itself with bounded backoff and pings Redis
 * every {@link #PING_INTERVAL_MS}; {@link #healthy()} is false while it is not subscribed or the
 * last command failed. Nothing here logs payloads or the Redis password. Thread-safe.
 */
public final class RedisNode implements AutoCloseable {
  /** The channel every node subscribes to (delivery events, which carry addresses only). */
  public static final String BUS_CHANNEL = "sotto:bus";

  /**
   * Connecting and each command give up after 500 ms: Redis answers a healthy request in well under
   * a millisecond, and a request thread must not hang on a dead Redis (the envelope is already
   * durable in the database).
   */
  static final int COMMAND_TIMEOUT_MS = 500;

  /** The subscriber pings this often, so that a hung Redis is noticed (see below). */
  static final long PING_INTERVAL_MS = 1_000;

  /**
   * No pong (or no subscription confirmed) for this long means a hung or partitioned Redis, which
   * the subscriber's blocking read would never notice (Jedis reads pub/sub without a timeout): the
   * watchdog then cuts the connection and the subscriber reconnects. Three missed pings.
   */
  static final int SUBSCRIBER_READ_TIMEOUT_MS = (int) (3 * PING_INTERVAL_MS);

  /** First reconnect delay after the subscriber lost Redis; doubled on each failure. */
  static final long RECONNECT_MIN_MS = 100;

  /** Reconnect delays stop growing here, so a restarted Redis is found within 2 s. */
  static final long RECONNECT_MAX_MS = 2_000;

  /**
   * Pooled command connections: publishes and rate-limit scripts are sub-millisecond, so a few
   * connections serve thousands of requests per second; the cap bounds Redis's client count.
   */
  static final int POOL_MAX = 32;

  private static final Logger log = LoggerFactory.getLogger(RedisNode.class);

  private final String nodeId;
  private final HostAndPort hostAndPort;
  private final JedisClientConfig subscriberConfig;
  private final RedisClient client;
  private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
  private final List<Runnable> recoveryHooks = new CopyOnWriteArrayList<>();
  private final Thread subscriberThread;
  private final Thread pingThread;
  private final Subscriber subscriber = new Subscriber();

  private volatile boolean subscribed;
  private volatile boolean commandsOk = true;
  private volatile boolean closed;
  private volatile Jedis subscriberConnection;
  private boolean reportedHealthy; // guarded by this
  private volatile long lastSignOfLife; // System.nanoTime() of the last pong or connect attempt

  private RedisNode(URI uri, String nodeId) {
    if (!JedisURIHelper.isValid(uri) || !JedisURIHelper.isRedisScheme(uri)) {
      throw new IllegalArgumentException("the Redis address must look like redis://HOST:PORT");
    }
    this.nodeId = nodeId;
    this.hostAndPort = JedisURIHelper.getHostAndPort(uri);
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(COMMAND_TIMEOUT_MS)
            .socketTimeoutMillis(COMMAND_TIMEOUT_MS)
            .user(JedisURIHelper.getUser(uri))
            .password(JedisURIHelper.getPassword(uri))
            .database(JedisURIHelper.getDBIndex(uri))
            .ssl(JedisURIHelper.isRedisSSLScheme(uri))
            .clientName("sotto-" + nodeId);
    JedisClientConfig commandConfig = config.build();
    this.subscriberConfig = config.socketTimeoutMillis(SUBSCRIBER_READ_TIMEOUT_MS).build();
    this.lastSignOfLife = System.nanoTime();
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(POOL_MAX);
    pool.setMaxIdle(POOL_MAX);
    pool.setMaxWait(java.time.Duration.ofMillis(COMMAND_TIMEOUT_MS));
    this.client =
        RedisClient.builder()
            .hostAndPort(hostAndPort)
            .clientConfig(commandConfig)
            .poolConfig(pool)
            .build();
    this.subscriberThread = Thread.ofPlatform().daemon().name("redis-sub").unstarted(this::run);
    this.pingThread = Thread.ofPlatform().daemon().name("redis-ping").unstarted(this::pingLoop);
  }

  /**
   * Connects to Redis at {@code uri} as node {@code nodeId}. Does not wait for Redis: a node starts
   * while Redis is down and reports itself unhealthy until the subscriber is connected.
   */
  public static RedisNode start(URI uri, String nodeId) {
    RedisNode node = new RedisNode(uri, nodeId);
    log.info("cluster node {} using redis at {}", nodeId, node.hostAndPort);
    node.subscriberThread.start();
    node.pingThread.start();
    return node;
  }

  /** This node's id. */
  public String nodeId() {
    return nodeId;
  }

  /** The channel addressed to node {@code nodeId} alone. */
  public static String nodeChannel(String nodeId) {
    return "sotto:node:" + nodeId;
  }

  /** The pooled command client (callers catch {@link RuntimeException} and fall back). */
  RedisClient client() {
    return client;
  }

  /** Whether the subscriber is connected and the last command succeeded. */
  public boolean healthy() {
    return subscribed && commandsOk && !closed;
  }

  /** Whether the subscriber is connected (events from other nodes arrive). */
  public boolean subscribed() {
    return subscribed;
  }

  /**
   * Delivers messages of {@code channel} (this node's channel or the bus) to {@code handler}, which
   * replaces an earlier one: one bus and one relay per node. Handlers run on the subscriber thread
   * and must not block.
   */
  void on(String channel, Consumer<String> handler) {
    handlers.put(channel, handler);
  }

  /** Runs {@code hook} each time the node becomes healthy again after a failure. */
  void onRecovery(Runnable hook) {
    recoveryHooks.add(hook);
  }

  /** Records the outcome of a command: a failure makes the node unhealthy until one succeeds. */
  void commandResult(boolean ok) {
    commandsOk = ok;
    healthChanged();
  }

  /**
   * Compares the health with the one last reported, so each recovery runs the hooks exactly once
   * even when the subscriber and a command notice it at the same moment.
   */
  private void healthChanged() {
    boolean now = healthy();
    boolean recovered;
    boolean lost;
    synchronized (this) {
      recovered = now && !reportedHealthy;
      lost = !now && reportedHealthy;
      reportedHealthy = now;
    }
    if (lost && !closed) {
      log.warn("redis unreachable; delivery falls back to polling");
    }
    if (recovered) {
      recovered();
    }
  }

  private void recovered() {
    log.info("redis connected");
    for (Runnable r : recoveryHooks) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("redis recovery hook failed: {}", e.getClass().getSimpleName());
      }
    }
  }

  private void run() {
    long delay = RECONNECT_MIN_MS;
    while (!closed) {
      lastSignOfLife = System.nanoTime();
      try (Jedis j = new Jedis(hostAndPort, subscriberConfig)) {
        subscriberConnection = j;
        j.subscribe(subscriber, BUS_CHANNEL, nodeChannel(nodeId));
      } catch (RuntimeException e) {
        if (!closed) {
          log.debug("redis subscriber lost: {}", e.getClass().getSimpleName());
        }
      } finally {
        subscriberConnection = null;
        subscribed = false;
        healthChanged();
      }
      if (closed) {
        return;
      }
      // A subscription that lasted resets the backoff; repeated failures grow it to the cap.
      delay = subscriber.wasUp ? RECONNECT_MIN_MS : Math.min(RECONNECT_MAX_MS, delay * 2);
      subscriber.wasUp = false;
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void pingLoop() {
    while (!closed) {
      try {
        Thread.sleep(PING_INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
      long silentMs = (System.nanoTime() - lastSignOfLife) / 1_000_000;
      Jedis connection = subscriberConnection;
      if (connection != null && silentMs > SUBSCRIBER_READ_TIMEOUT_MS) {
        // Hung: cut the connection; the subscriber thread's read fails and it reconnects.
        subscribed = false;
        healthChanged();
        try {
          connection.disconnect();
        } catch (RuntimeException e) {
          // already broken
        }
      } else if (subscribed) {
        try {
          subscriber.ping();
        } catch (RuntimeException e) {
          // The subscriber thread sees the broken connection and reconnects.
        }
      }
      if (!commandsOk && subscribed) {
        // Probe: commands failed earlier, so nothing else may try one soon.
        try {
          client.ping();
          commandResult(true);
        } catch (RuntimeException e) {
          commandResult(false);
        }
      }
    }
  }

  private final class Subscriber extends JedisPubSub {
    volatile boolean wasUp;

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      if (subscribedChannels == 2) {
        lastSignOfLife = System.nanoTime();
        wasUp = true;
        subscribed = true;
        healthChanged();
      }
    }

    @Override
    public void onPong(String pattern) {
      lastSignOfLife = System.nanoTime();
    }

    @Override
    public void onMessage(String channel, String message) {
      Consumer<String> h = handlers.get(channel);
      if (h == null) {
        return;
      }
      try {
        h.accept(message);
      } catch (RuntimeException e) {
        // Malformed input from the network never stops the subscriber.
        log.warn("redis message on a cluster channel failed: {}", e.getClass().getSimpleName());
      }
    }
  }

  /** Stops the subscriber and closes every connection. */
  @Override
  public void close() {
    closed = true;
    subscribed = false;
    try {
      if (subscriber.isSubscribed()) {
        subscriber.unsubscribe();
      }
    } catch (RuntimeException e) {
      // already broken
    }
    Jedis j = subscriberConnection;
    if (j != null) {
      try {
        j.disconnect();
      } catch (RuntimeException e) {
        // already closed
      }
    }
    subscriberThread.interrupt();
    pingThread.interrupt();
    try {
      subscriberThread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }
}
