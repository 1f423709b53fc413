package org.sotto.bench.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * The baseline relay: Redis pub/sub with one channel per recipient, one publishing connection per
 * sender and one subscribed connection per recipient. Nothing is stored: a message published while
 * nobody listens is lost. Thread-safe as {@link Relay} requires.
 */
final class RedisRelay implements Relay {
  /** Time allowed for all subscribers to be subscribed. */
  static final long SUBSCRIBE_TIMEOUT_SECONDS = 30;

  /** Time allowed for a subscriber thread to finish after unsubscribing. */
  static final long JOIN_MILLIS = 5_000;

  private final String host;
  private final int port;
  private final String prefix = "sotto-bench:" + UUID.randomUUID() + ":";
  private final List<Jedis> publishers = new ArrayList<>();
  private final List<Jedis> subscribers = new ArrayList<>();
  private final List<BinaryJedisPubSub> subscriptions = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private byte[][] channels;

  /** A relay through the Redis server at {@code host:port}. */
  RedisRelay(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public void open(int pairs, Delivery delivery) throws Exception {
    channels = new byte[pairs][];
    CountDownLatch subscribed = new CountDownLatch(pairs);
    for (int i = 0; i < pairs; i++) {
      int pair = i;
      channels[i] = (prefix + i).getBytes(StandardCharsets.UTF_8);
      publishers.add(new Jedis(host, port));
      Jedis sub = new Jedis(host, port);
      subscribers.add(sub);
      BinaryJedisPubSub pubsub =
          new BinaryJedisPubSub() {
            @Override
            public void onSubscribe(byte[] channel, int count) {
              subscribed.countDown();
            }

            @Override
            public void onMessage(byte[] channel, byte[] message) {
              delivery.delivered(pair, message);
            }
          };
      subscriptions.add(pubsub);
      threads.add(
          Thread.ofVirtual()
              .name("redis-subscriber-" + i)
              .start(() -> sub.subscribe(pubsub, channels[pair])));
    }
    if (!subscribed.await(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("Redis subscribers did not subscribe in time");
    }
  }

  @Override
  public void send(int pair, byte[] payload) {
    long receivers = publishers.get(pair).publish(channels[pair], payload);
    if (receivers != 1) {
      throw new IllegalStateException("PUBLISH reached " + receivers + " subscribers, not 1");
    }
  }

  @Override
  public void close() throws Exception {
    for (BinaryJedisPubSub s : subscriptions) {
      if (s.isSubscribed()) {
        s.unsubscribe();
      }
    }
    for (Thread t : threads) {
      t.join(JOIN_MILLIS);
    }
    for (Jedis j : publishers) {
      j.close();
    }
    for (Jedis j : subscribers) {
      j.close();
    }
  }
}
