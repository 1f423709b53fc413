package org.sotto.client.internal;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sotto.api.proto.Envelope;
import org.sotto.client.MessageListener;
import org.sotto.client.transport.DeliveryConnection;

/**
 * Bridges the delivery socket to the envelope processor, the acks and the SDK listener: an envelope
 * is acked only after it is durably stored (or found unreadable), then reported.
 *
 * <p>Two steps, two threads. The socket's delivery thread decrypts and stores each envelope as a
 * unit of the store's group commit and goes on to the next one without waiting for the commit, so
 * the envelopes of a burst share one commit. A second thread ({@code sotto-receive}) takes the
 * envelopes in arrival order, waits for each one's commit, then does the work after it (downloads,
 * receipts), acks and calls the listener; queue-empty reports go the same way, so they come after
 * every envelope before them. Thread-safe.
 */
final class DeliveryBridge implements DeliveryConnection.Listener, AutoCloseable {
  /**
   * Envelopes stored but not yet acked and reported, at most: bounds the memory of a burst when the
   * second step is slower (attachment downloads); the socket then waits, and the server keeps the
   * rest of the queue.
   */
  static final int MAX_IN_FLIGHT = 256;

  /** How long {@link #drain()} waits for the envelopes in flight. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private static final System.Logger log = System.getLogger(DeliveryBridge.class.getName());

  /** Acks an envelope (the connection's {@code ack}); completed once the connection is open. */
  final CompletableFuture<Consumer<ByteString>> acks = new CompletableFuture<>();

  private final MessageListener listener;
  private final Function<Envelope, EnvelopeProcessor.Received> stage;
  private final Function<EnvelopeProcessor.Received, EnvelopeProcessor.Outcome> finish;
  private final Runnable maintainKeys;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private volatile Thread completionThread;
  private final ExecutorService completion =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = Thread.ofPlatform().daemon().name("sotto-receive").unstarted(r);
            completionThread = t;
            return t;
          });
  volatile boolean connected;
  volatile DeliveryConnection.Ended ended;

  DeliveryBridge(
      MessageListener listener,
      Function<Envelope, EnvelopeProcessor.Received> stage,
      Function<EnvelopeProcessor.Received, EnvelopeProcessor.Outcome> finish,
      Runnable maintainKeys) {
    this.listener = listener;
    this.stage = stage;
    this.finish = finish;
    this.maintainKeys = maintainKeys;
  }

  @Override
  public void onEnvelope(Envelope envelope) {
    inFlight.acquireUninterruptibly();
    EnvelopeProcessor.Received received;
    try {
      received = stage.apply(envelope);
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
    if (!later(
        () -> {
          try {
            complete(envelope, received);
          } finally {
            inFlight.release();
          }
        })) {
      inFlight.release();
    }
  }

  private void complete(Envelope envelope, EnvelopeProcessor.Received received) {
    EnvelopeProcessor.Outcome outcome = finish.apply(received);
    if (outcome.ack()) {
      acks.join().accept(envelope.getGuid());
    }
    try {
      switch (outcome) {
        case EnvelopeProcessor.Stored s -> listener.onMessage(s.message());
        case EnvelopeProcessor.Failed f -> listener.onError(f.error());
        case EnvelopeProcessor.Receipted r -> listener.onReceipt(r.receipt());
        case EnvelopeProcessor.TimerChanged t ->
            listener.onExpireTimerChanged(t.conversation(), Duration.ofSeconds(t.seconds()));
        case EnvelopeProcessor.Duplicate d -> {}
      }
    } catch (RuntimeException e) {
      // The message is stored and acked already; a failing listener must not stop receiving.
      log.log(System.Logger.Level.WARNING, "message listener failed: {0}", e.getClass().getName());
    }
  }

  @Override
  public void onConnected() {
    connected = true;
  }

  @Override
  public void onEnded(DeliveryConnection.Ended why) {
    ended = why;
    if (why != DeliveryConnection.Ended.CLOSED) {
      log.log(System.Logger.Level.WARNING, "delivery connection ended: {0}", why);
    }
  }

  @Override
  public void onQueueEmpty() {
    later(
        () -> {
          maintainKeys.run();
          listener.onQueueEmpty();
        });
  }

  /** Runs {@code task} on the second thread, after everything queued before it; false if closed. */
  private boolean later(Runnable task) {
    try {
      completion.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.log(
                  System.Logger.Level.WARNING,
                  "receiving failed after the store: {0}",
                  e.getClass().getSimpleName());
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      return false; // Closed: the envelope is not acked and comes again.
    }
  }

  /**
   * Waits (at most {@link #DRAIN_TIMEOUT}) until the envelopes received so far are acked and
   * reported.
   */
  void drain() {
    if (Thread.currentThread() == completionThread) {
      return; // Called from a listener: what it waits for is queued behind it.
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!later(() -> done.complete(null))) {
      return;
    }
    try {
      done.get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.log(System.Logger.Level.WARNING, "receiving: envelopes still in flight at close");
    }
  }

  /** Finishes what is queued (at most {@link #DRAIN_TIMEOUT}), then stops the second thread. */
  @Override
  public void close() {
    completion.shutdown();
    if (Thread.currentThread() == completionThread) {
      return; // Called from a listener: the queue finishes after it returns.
    }
    try {
      if (!completion.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        completion.shutdownNow();
      }
    } catch (InterruptedException e) {
      completion.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
