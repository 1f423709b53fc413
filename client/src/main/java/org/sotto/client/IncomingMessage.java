package org.sotto.client;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.sotto.api.AccountId;

/**
 * A decrypted message, as stored in the history. {@link #toString()} leaves the text out.
 * Immutable.
 *
 * @param guid the envelope's guid (unique per delivered envelope)
 * @param conversation the other party of the conversation (for a copy of our own message sent from
 *     another of our devices, its recipient)
 * @param sender the sending account
 * @param senderDevice the sending device
 * @param sentAt the sender's timestamp
 * @param text the message text
 */
public record IncomingMessage(
    UUID guid,
    AccountId conversation,
    AccountId sender,
    int senderDevice,
    Instant sentAt,
    String text) {
  /** Checks for nulls. */
  public IncomingMessage {
    Objects.requireNonNull(guid, "guid");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return "IncomingMessage[" + guid + ", from " + sender + "." + senderDevice + "]";
  }
}
