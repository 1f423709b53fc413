package org.sotto.client;

import java.time.Instant;
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
 * @param text the text
 */
public record HistoryEntry(
    UUID guid, AccountId sender, int senderDevice, Instant sentAt, String text) {
  /** Checks for nulls. */
  public HistoryEntry {
    Objects.requireNonNull(guid, "guid");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return "HistoryEntry[" + guid + ", from " + sender + "." + senderDevice + "]";
  }
}
