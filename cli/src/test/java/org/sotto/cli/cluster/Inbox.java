package org.sotto.cli.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.ReceiveError;

/**
 * What an SDK client receives, with each message's arrival time ({@link System#nanoTime()}), so
 * tests can wait for a text, count copies and measure delivery latency. Thread-safe.
 */
final class Inbox implements MessageListener {
  private final Map<String, List<Long>> arrivals = new HashMap<>();
  private final List<String> errors = new ArrayList<>();
  private int queueEmpties;

  @Override
  public synchronized void onMessage(IncomingMessage message) {
    arrivals.computeIfAbsent(message.text(), t -> new ArrayList<>()).add(System.nanoTime());
    notifyAll();
  }

  @Override
  public synchronized void onError(ReceiveError error) {
    errors.add(error.toString());
  }

  @Override
  public synchronized void onQueueEmpty() {
    queueEmpties++;
    notifyAll();
  }

  /** Waits until the server has said "queue empty" at least {@code count} times in all. */
  synchronized void awaitQueueEmpty(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (queueEmpties < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the delivery socket did not connect within " + timeout);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * Waits for {@code text} and returns its first arrival time (nanoTime); fails the test after
   * {@code timeout}.
   */
  synchronized long await(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!arrivals.containsKey(text)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("'" + text + "' did not arrive within " + timeout);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return arrivals.get(text).get(0);
  }

  /** Waits until every one of {@code texts} has arrived; fails after {@code timeout}. */
  void awaitAll(List<String> texts, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String t : texts) {
      await(t, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
  }

  /** How many times {@code text} arrived. */
  synchronized int count(String text) {
    List<Long> a = arrivals.get(text);
    return a == null ? 0 : a.size();
  }

  /** Every text received, with its number of arrivals. */
  synchronized Map<String, Integer> counts() {
    Map<String, Integer> out = new HashMap<>();
    arrivals.forEach((t, a) -> out.put(t, a.size()));
    return out;
  }

  /** Envelopes that could not be read, described without contents. */
  synchronized List<String> errors() {
    return List.copyOf(errors);
  }
}
