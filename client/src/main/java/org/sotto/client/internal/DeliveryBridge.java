package org.sotto.client.internal;

import java.time.Duration;
import java.util.function.Function;
import org.sotto.api.proto.Envelope;
import org.sotto.client.MessageListener;
import org.sotto.client.transport.DeliveryConnection;

/**
 * Bridges the delivery socket to the envelope processor, the acks and the SDK listener: an envelope
 * is acked only after it is stored (or found unreadable), then reported. Callbacks come from the
 * socket's one delivery thread.
 */
final class DeliveryBridge implements DeliveryConnection.Listener {
  private static final System.Logger log = System.getLogger(DeliveryBridge.class.getName());

  final java.util.concurrent.CompletableFuture<DeliveryConnection> connection =
      new java.util.concurrent.CompletableFuture<>();
  private final MessageListener listener;
  private final Function<Envelope, EnvelopeProcessor.Outcome> processor;
  private final Runnable maintainKeys;
  volatile boolean connected;
  volatile DeliveryConnection.Ended ended;

  DeliveryBridge(
      MessageListener listener,
      Function<Envelope, EnvelopeProcessor.Outcome> processor,
      Runnable maintainKeys) {
    this.listener = listener;
    this.processor = processor;
    this.maintainKeys = maintainKeys;
  }

  @Override
  public void onEnvelope(Envelope envelope) {
    EnvelopeProcessor.Outcome outcome = processor.apply(envelope);
    if (outcome.ack()) {
      connection.join().ack(envelope.getGuid());
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
    maintainKeys.run();
    listener.onQueueEmpty();
  }
}
