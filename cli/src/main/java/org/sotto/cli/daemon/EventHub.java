package org.sotto.cli.daemon;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fans server-sent events out to the subscribers of the event stream. Publishing never blocks: each
 * subscriber has a bounded buffer, and a subscriber whose buffer is full (it reads too slowly) is
 * dropped, so a slow reader cannot hold up receiving. Thread-safe.
 */
public final class EventHub {
  /**
   * Events buffered per subscriber before it is dropped: enough for a burst of a few hundred
   * messages (an offline queue delivered at once), small enough that many subscribers stay cheap.
   */
  public static final int SUBSCRIBER_BUFFER = 1024;

  /** Most subscribers at once: each holds a connection and a thread. */
  public static final int MAX_SUBSCRIBERS = 64;

  /** One subscriber's buffer of formatted events. */
  public final class Subscription implements AutoCloseable {
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(SUBSCRIBER_BUFFER);
    private volatile boolean dropped;

    private Subscription() {}

    /**
     * The next formatted event, or null if none came within {@code wait} (time for a keepalive).
     *
     * @throws InterruptedException also when this subscriber was dropped
     */
    public String next(Duration wait) throws InterruptedException {
      if (dropped) {
        throw new InterruptedException("dropped");
      }
      String e = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (dropped || e == WAKE_UP) {
        throw new InterruptedException("dropped");
      }
      return e;
    }

    /** Whether the hub dropped this subscriber (too slow, or the hub closed). */
    public boolean dropped() {
      return dropped;
    }

    private boolean offer(String event) {
      if (!queue.offer(event)) {
        drop();
        return false;
      }
      return true;
    }

    /** Marks this subscriber dropped and wakes its reader at once. */
    private void drop() {
      dropped = true;
      queue.clear();
      queue.offer(WAKE_UP);
    }

    @Override
    public void close() {
      subscribers.remove(this);
      drop();
    }
  }

  /** Put in a dropped subscriber's buffer so that its waiting reader wakes up. */
  private static final String WAKE_UP = new String("wake up");

  private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();

  /** A new subscriber, or null when {@link #MAX_SUBSCRIBERS} are subscribed already. */
  public synchronized Subscription subscribe() {
    if (subscribers.size() >= MAX_SUBSCRIBERS) {
      return null;
    }
    Subscription s = new Subscription();
    subscribers.add(s);
    return s;
  }

  /** The number of subscribers. */
  public int size() {
    return subscribers.size();
  }

  /** Sends the event {@code name} with the one-line {@code data} to every subscriber. */
  public void publish(String name, String data) {
    String event = format(name, data);
    for (Subscription s : subscribers) {
      if (!s.offer(event)) {
        subscribers.remove(s);
      }
    }
  }

  /** Drops every subscriber. */
  public void closeAll() {
    for (Subscription s : subscribers) {
      s.close();
    }
  }

  /** The wire form of one event; {@code data} lines each get their own {@code data:} field. */
  static String format(String name, String data) {
    StringBuilder b = new StringBuilder();
    b.append("event: ").append(name.replaceAll("[\r\n]", "")).append('\n');
    for (String line : data.split("\r\n|\r|\n", -1)) {
      b.append("data: ").append(line).append('\n');
    }
    return b.append('\n').toString();
  }
}
