package org.sotto.client;

import java.time.Instant;
import java.util.List;
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
 * @param text the message text (empty when the message carries attachments only)
 * @param attachments the message's attachments, saved or with the reason they are missing
 */
public record IncomingMessage(
    UUID guid,
    AccountId conversation,
    AccountId sender,
    int senderDevice,
    Instant sentAt,
    String text,
    List<ReceivedAttachment> attachments) {
  /** Checks for nulls and copies the list. */
  public IncomingMessage {
    Objects.requireNonNull(guid, "guid");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(text, "text");
    attachments = List.copyOf(attachments);
  }

  /** A message without attachments. */
  public IncomingMessage(
      UUID guid,
      AccountId conversation,
      AccountId sender,
      int senderDevice,
      Instant sentAt,
      String text) {
    this(guid, conversation, sender, senderDevice, sentAt, text, List.of());
  }

  /** This message with {@code newAttachments} instead of its attachments. */
  public IncomingMessage withAttachments(List<ReceivedAttachment> newAttachments) {
    return new IncomingMessage(
        guid, conversation, sender, senderDevice, sentAt, text, newAttachments);
  }

  @Override
  public String toString() {
    return "IncomingMessage[" + guid + ", from " + sender + "." + senderDevice + "]";
  }
}
