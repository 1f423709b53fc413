package org.sotto.client;

import java.util.List;
import java.util.Objects;
import org.sotto.api.AccountId;

/**
 * A delivery or read receipt received for messages we sent. Reported to {@link
 * MessageListener#onReceipt}, never as a message. Immutable.
 *
 * @param from the account that received or read our messages
 * @param fromDevice its device
 * @param type delivery or read
 * @param sentTimestamps the sender timestamps of our messages it covers
 */
public record Receipt(AccountId from, int fromDevice, Type type, List<Long> sentTimestamps) {
  /** What the receipt says. */
  public enum Type {
    /** The message reached a device of the recipient. */
    DELIVERY,
    /** The recipient read the message. */
    READ
  }

  /** Checks for nulls and copies the list. */
  public Receipt {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(type, "type");
    sentTimestamps = List.copyOf(sentTimestamps);
  }
}
