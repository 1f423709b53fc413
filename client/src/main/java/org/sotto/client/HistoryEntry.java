package org.sotto.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.sotto.api.AccountId;

/**
 * One message of a conversation's local history, sent or received. {@link #toString()} leaves the
 * text out. Immutable.
 *
 * @param guid the envelope guid (received) or a local id (sent)
 * @param sender the author
 * @param senderDevice the author's device
 * @param sentAt the author's timestamp
 * @param text the text (empty when the message carries attachments only)
 * @param attachments the attachments (for ours, the files we sent)
 * @param status for our own messages, how far they got with the recipient (from receipts); null for
 *     received messages
 */
public record HistoryEntry(
    UUID guid,
    AccountId sender,
    int senderDevice,
    Instant sentAt,
    String text,
    List<ReceivedAttachment> attachments,
    MessageStatus status) {
  /** Checks for nulls and copies the list. */
  public HistoryEntry {
    Objects.requireNonNull(guid, "guid");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(text, "text");
    attachments = List.copyOf(attachments);
  }

  /** An entry without attachments or status. */
  public HistoryEntry(UUID guid, AccountId sender, int senderDevice, Instant sentAt, String text) {
    this(guid, sender, senderDevice, sentAt, text, List.of(), null);
  }

  @Override
  public String toString() {
    return "HistoryEntry[" + guid + ", from " + sender + "." + senderDevice + "]";
  }
}
