package org.sotto.client.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sotto.api.AccountId;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.Receipt;
import org.sotto.client.ReceiveError;

/**
 * Collects messages until the server's stored queue is delivered, for {@code
 * receiveUntilQueueEmpty}; errors, receipts and timer changes are passed on. Thread-safe.
 */
final class CollectingListener implements MessageListener {
  private final List<IncomingMessage> out = new ArrayList<>();
  private final CountDownLatch empty = new CountDownLatch(1);
  private final MessageListener errors;

  /** {@code errors} receives the error events; may be null. */
  CollectingListener(MessageListener errors) {
    this.errors = errors;
  }

  @Override
  public synchronized void onMessage(IncomingMessage message) {
    out.add(message);
  }

  @Override
  public void onReceipt(Receipt receipt) {
    if (errors != null) {
      errors.onReceipt(receipt);
    }
  }

  @Override
  public void onExpireTimerChanged(AccountId conversation, Duration timer) {
    if (errors != null) {
      errors.onExpireTimerChanged(conversation, timer);
    }
  }

  @Override
  public void onError(ReceiveError error) {
    if (errors != null) {
      errors.onError(error);
    }
  }

  @Override
  public void onQueueEmpty() {
    empty.countDown();
  }

  /** Waits for the queue to be delivered; false if {@code timeout} passed first. */
  boolean awaitQueueEmpty(Duration timeout) throws InterruptedException {
    return empty.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The messages so far, in delivery order. */
  synchronized List<IncomingMessage> messages() {
    return List.copyOf(out);
  }
}
