package org.sotto.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.ApiChecks;
import org.sotto.api.DeviceId;
import org.sotto.server.messages.MessageBus;

/**
 * {@link MessageBus} for several nodes sharing one database: local listeners are told at once, and
 * every event is published on {@link RedisNode#BUS_CHANNEL} so the node holding the device's socket
 * hears it. Events carry addresses only (envelopes stay in the database).
 *
 * <p><b>Newer connection wins:</b> each registration takes a token from Redis's clock and one
 * counter (and announces it in the same script, so the token order is the order of the
 * announcements' creation). A node closes its local listener for a device only when an announcement
 * from another node carries a larger token, so a late or repeated older announcement never closes
 * the newer connection. A registration made while Redis is unreachable has token 0: any later
 * announcement replaces it.
 *
 * <p><b>Redis down:</b> publishing is queued and done by one background thread, so a request never
 * waits on Redis. While the node is unhealthy every local listener is poked each {@link
 * #POLL_INTERVAL_MS} (its socket reads the store), and once Redis is back every listener is poked
 * once more, since events may have been missed; a node that had to drop events of its own also asks
 * every other node to poke theirs once. Thread-safe.
 *
 * <p>Wire format on the channel (text, '|'-separated, no contents): {@code M|origin|account|device}
 * mail, {@code R|origin|account|device|token} registration, {@code D|origin|account|device}
 * removed, {@code A|origin|account} account deleted, {@code X|origin} poke everything.
 */
public final class RedisMessageBus implements MessageBus, AutoCloseable {
  /**
   * While Redis is unreachable, connected devices see new mail within this bound: each poll is one
   * indexed query per connected device, cheap enough at one per second.
   */
  public static final long POLL_INTERVAL_MS = 1_000;

  /**
   * Events waiting to be published; beyond it they are dropped and the node counts as unhealthy
   * until the queue drains (the pollers cover the loss). Bounds memory when Redis stalls.
   */
  static final int MAX_QUEUED_EVENTS = 65_536;

  /** Events published per pipelined round trip. */
  static final int PUBLISH_BATCH = 256;

  /** The counter that orders registrations across the cluster (one key, never expires). */
  static final String REGISTRATION_COUNTER = "sotto:bus:registrations";

  /**
   * Takes a token and announces the registration with it, atomically. The token is Redis's clock in
   * milliseconds times 1,000 plus the counter modulo 1,000: ordered across nodes, and still larger
   * than every earlier token after Redis restarts without its data (the counter starts over, the
   * clock does not). It stays below 2^53, exact in Lua's numbers.
   */
  private static final String REGISTER_SCRIPT =
      """
      local c = redis.call('INCR', KEYS[1])
      local now = redis.call('TIME')
      local t = (tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)) * 1000 + c % 1000
      redis.call('PUBLISH', ARGV[1], ARGV[2] .. string.format('%.0f', t))
      return t
      """;

  /** Token of an entry whose registration has not been answered by Redis yet. */
  private static final long PENDING = -1;

  private static final Logger log = LoggerFactory.getLogger(RedisMessageBus.class);

  /** Drops what a node caches about a device or account changed on another node. */
  public interface Forgetter {
    /** {@code device} was removed. */
    void forget(Address device);

    /** {@code account} was deleted. */
    void forget(AccountId account);
  }

  private static final class Entry {
    final Listener listener;
    long token = PENDING; // guarded by this
    long newestRemote; // guarded by this

    Entry(Listener listener) {
      this.listener = listener;
    }
  }

  private final long pollIntervalMs;
  private final RedisNode node;
  private final Forgetter forgetter;
  private final String origin;
  private final ConcurrentHashMap<Address, Entry> live = new ConcurrentHashMap<>();
  private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(MAX_QUEUED_EVENTS);
  private final Thread publisher;
  private final Thread poller;
  private volatile boolean overflowed;
  private volatile boolean lostEvents;
  private volatile boolean closed;

  /** A bus over {@code node}; events from other nodes about removals reach {@code forgetter}. */
  public RedisMessageBus(RedisNode node, Forgetter forgetter) {
    this(node, forgetter, POLL_INTERVAL_MS);
  }

  /** Same, polling every {@code pollIntervalMs} while unhealthy (tests). */
  RedisMessageBus(RedisNode node, Forgetter forgetter, long pollIntervalMs) {
    this.pollIntervalMs = pollIntervalMs;
    this.node = node;
    this.forgetter = forgetter;
    // Unique per bus instance, so two buses in one process (tests) are two nodes.
    this.origin = node.nodeId() + "." + UUID.randomUUID().toString().substring(0, 8);
    node.on(RedisNode.BUS_CHANNEL, this::received);
    node.onRecovery(this::recovered);
    publisher = Thread.ofPlatform().daemon().name("redis-bus-pub").start(this::publishLoop);
    poller = Thread.ofPlatform().daemon().name("redis-bus-poll").start(this::pollLoop);
  }

  /** Whether events reach the other nodes (false: local sockets are polling the store). */
  public boolean healthy() {
    return node.healthy() && !overflowed;
  }

  @Override
  public Registration register(Address device, Listener listener) {
    Entry e = new Entry(listener);
    Entry older = live.put(device, e);
    if (older != null && older.listener != listener) {
      older.listener.close(CloseReason.REPLACED);
    }
    long token = node.healthy() ? announce(device) : 0;
    boolean replaced;
    synchronized (e) {
      e.token = token;
      replaced = e.newestRemote > token;
    }
    if (replaced) {
      // A newer registration elsewhere was announced while ours was on its way.
      live.remove(device, e);
      listener.close(CloseReason.REPLACED);
    }
    return () -> live.remove(device, e);
  }

  /** Takes a token and announces the registration in one script; 0 if Redis did not answer. */
  private long announce(Address device) {
    try {
      Object t =
          node.client()
              .eval(
                  REGISTER_SCRIPT,
                  List.of(REGISTRATION_COUNTER),
                  List.of(RedisNode.BUS_CHANNEL, event('R', device) + "|"));
      node.commandResult(true);
      return (Long) t;
    } catch (RuntimeException ex) {
      node.commandResult(false);
      return 0;
    }
  }

  /**
   * Announces the registrations made while Redis was unreachable (token 0), so that an older
   * connection of the same device on another node, which never heard of them, is closed now.
   */
  private void reannounce() {
    for (var entry : live.entrySet()) {
      Entry e = entry.getValue();
      boolean unannounced;
      synchronized (e) {
        unannounced = e.token == 0;
      }
      if (!unannounced || !node.healthy()) {
        continue;
      }
      long token = announce(entry.getKey());
      synchronized (e) {
        if (e.token == 0) {
          e.token = token;
        }
      }
    }
  }

  @Override
  public void mail(Address device) {
    Entry e = live.get(device);
    if (e != null) {
      e.listener.mail();
    }
    publish(event('M', device));
  }

  @Override
  public void removed(Address device) {
    closeLocal(device);
    publish(event('D', device));
  }

  @Override
  public void accountDeleted(AccountId account) {
    closeAccount(account);
    publish("A|" + origin + "|" + account);
  }

  private void closeLocal(Address device) {
    Entry e = live.remove(device);
    if (e != null) {
      e.listener.close(CloseReason.DEVICE_GONE);
    }
  }

  private void closeAccount(AccountId account) {
    for (int id = 1; id <= ApiChecks.MAX_DEVICE_ID; id++) {
      closeLocal(new Address(account, new DeviceId(id)));
    }
  }

  private String event(char type, Address device) {
    return type + "|" + origin + "|" + device.account() + "|" + device.device().value();
  }

  private void publish(String event) {
    if (!outbox.offer(event)) {
      lostEvents = true;
      if (!overflowed) {
        log.warn("redis publish queue full; delivery falls back to polling");
      }
      overflowed = true;
    }
  }

  /** Handles one message of the bus channel; malformed ones are ignored. */
  void received(String message) {
    try {
      handle(message);
    } catch (IllegalArgumentException e) {
      // Malformed network input (bad id or number): ignored, never fatal.
    }
  }

  private void handle(String message) {
    String[] f = message.split("\\|", -1);
    if (f.length < 2 || f[0].length() != 1 || f[1].equals(origin)) {
      return; // malformed, or our own event (already handled locally)
    }
    char type = f[0].charAt(0);
    if (type == 'X' && f.length == 2) {
      pokeAll(); // another node dropped events while Redis was failing
      return;
    }
    if (type == 'A' && f.length == 3) {
      AccountId account = AccountId.parse(f[2]);
      closeAccount(account);
      forgetter.forget(account);
      return;
    }
    if (f.length < 4) {
      return;
    }
    Address device = new Address(AccountId.parse(f[2]), new DeviceId(Integer.parseInt(f[3])));
    switch (type) {
      case 'M' -> {
        Entry e = live.get(device);
        if (e != null) {
          e.listener.mail();
        }
      }
      case 'D' -> {
        closeLocal(device);
        forgetter.forget(device);
      }
      case 'R' -> {
        if (f.length == 5) {
          replacedElsewhere(device, Long.parseLong(f[4]));
        }
      }
      default -> {}
    }
  }

  private void replacedElsewhere(Address device, long token) {
    Entry e = live.get(device);
    if (e == null) {
      return;
    }
    boolean close;
    synchronized (e) {
      if (e.token == PENDING) {
        e.newestRemote = Math.max(e.newestRemote, token);
        close = false;
      } else {
        close = e.token < token;
      }
    }
    if (close && live.remove(device, e)) {
      e.listener.close(CloseReason.REPLACED);
    }
  }

  private void publishLoop() {
    List<String> batch = new ArrayList<>(PUBLISH_BATCH);
    while (!closed) {
      try {
        String first = outbox.poll(POLL_INTERVAL_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        outbox.drainTo(batch, PUBLISH_BATCH - 1);
      } catch (InterruptedException e) {
        return;
      }
      // Without a subscriber Redis is down: the events are dropped, the pollers cover them.
      if (!node.subscribed() || !publishBatch(batch)) {
        lostEvents = true;
      }
      batch.clear();
      if (overflowed && outbox.isEmpty()) {
        overflowed = false;
        if (node.healthy()) {
          recovered();
        }
      }
    }
  }

  /**
   * Publishes {@code batch} in one pipelined round trip, retried once: after a Redis restart the
   * first attempt meets a pooled connection that died with the old server.
   */
  private boolean publishBatch(List<String> batch) {
    for (int attempt = 0; attempt < 2; attempt++) {
      try (var pipeline = node.client().pipelined()) {
        for (String event : batch) {
          pipeline.publish(RedisNode.BUS_CHANNEL, event);
        }
        pipeline.sync();
        node.commandResult(true);
        return true;
      } catch (RuntimeException e) {
        // retry once on a fresh connection
      }
    }
    node.commandResult(false);
    return false;
  }

  /**
   * Back from a failure: poke every local socket (events to us may have been missed), announce the
   * registrations Redis did not see and, if events of ours were dropped, ask every other node to
   * poke theirs.
   */
  private void recovered() {
    pokeAll();
    // Off the calling thread (the subscriber's, often): one Redis round trip per entry.
    Thread.ofVirtual().name("redis-bus-reannounce").start(this::reannounce);
    if (lostEvents) {
      lostEvents = false;
      publish("X|" + origin);
    }
  }

  private void pollLoop() {
    while (!closed) {
      try {
        Thread.sleep(pollIntervalMs);
      } catch (InterruptedException e) {
        return;
      }
      if (!healthy()) {
        pokeAll();
      }
    }
  }

  private void pokeAll() {
    for (Entry e : live.values()) {
      try {
        e.listener.mail();
      } catch (RuntimeException ex) {
        log.warn("poking a delivery socket failed: {}", ex.getClass().getSimpleName());
      }
    }
  }

  /** Devices with a live listener on this node. */
  public int size() {
    return live.size();
  }

  /** Stops the publisher and the poller (the {@link RedisNode} is closed by its owner). */
  @Override
  public void close() {
    closed = true;
    publisher.interrupt();
    poller.interrupt();
  }
}
