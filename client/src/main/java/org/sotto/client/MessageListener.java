package org.sotto.client;

import java.time.Duration;
import org.sotto.api.AccountId;

/**
 * Receives what {@link SottoClient#startReceiving} delivers. Callbacks come one at a time from the
 * SDK's delivery thread, in the order the server delivers, each after the message was stored; a
 * slow callback delays the next envelope.
 */
public interface MessageListener {
  /** A new message, already stored in the history. */
  void onMessage(IncomingMessage message);

  /**
   * A delivery or read receipt for messages we sent; the status in the history was updated before.
   * Receipts never arrive as messages.
   */
  default void onReceipt(Receipt receipt) {}

  /**
   * The disappearing-message timer of {@code conversation} was changed (by its other party or on
   * another of our devices) and stored; zero means off. Never reported as a message.
   */
  default void onExpireTimerChanged(AccountId conversation, Duration timer) {}

  /** An envelope that could not be read; the connection carries on. */
  default void onError(ReceiveError error) {}

  /** The server's stored queue has been delivered; what follows arrives live. */
  default void onQueueEmpty() {}
}
