package org.sotto.client.transport;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sotto.api.proto.Envelope;

/**
 * Records every delivery event in one queue, in arrival order, so tests can assert on sequences.
 */
final class RecordingListener implements DeliveryConnection.Listener {
  /** How long a test waits for an expected event. */
  static final Duration WAIT = Duration.ofSeconds(30);

  /** One event. */
  sealed interface Event {}

  record EnvelopeEvent(Envelope envelope) implements Event {}

  record QueueEmptyEvent() implements Event {}

  record DroppedEvent(long count) implements Event {}

  record ConnectedEvent() implements Event {}

  record DisconnectedEvent(String reason) implements Event {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final CompletableFuture<DeliveryConnection.Ended> ended = new CompletableFuture<>();

  @Override
  public void onEnvelope(Envelope envelope) {
    events.add(new EnvelopeEvent(envelope));
  }

  @Override
  public void onQueueEmpty() {
    events.add(new QueueEmptyEvent());
  }

  @Override
  public void onDropped(long count) {
    events.add(new DroppedEvent(count));
  }

  @Override
  public void onConnected() {
    events.add(new ConnectedEvent());
  }

  @Override
  public void onDisconnected(String reason, Duration retryIn) {
    events.add(new DisconnectedEvent(reason));
  }

  @Override
  public void onEnded(DeliveryConnection.Ended why) {
    ended.complete(why);
  }

  /** The next event, failing the test if none comes within {@link #WAIT}. */
  Event next() throws InterruptedException {
    Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no delivery event within " + WAIT);
    }
    return e;
  }

  /** Skips events until one of {@code type} arrives, and returns it. */
  <T extends Event> T next(Class<T> type) throws InterruptedException {
    while (true) {
      Event e = next();
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
  }

  /** The next event that is not a connection-state change. */
  Event nextFrame() throws InterruptedException {
    while (true) {
      Event e = next();
      if (!(e instanceof ConnectedEvent) && !(e instanceof DisconnectedEvent)) {
        return e;
      }
    }
  }
}
