package org.sotto.client.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One message in the local history. {@link #toString()} leaves the body out. Immutable (the body is
 * copied in and out) and thread-safe.
 *
 * @param guid the envelope guid, unique: it de-duplicates redelivered envelopes
 * @param conversation the conversation (the other party's account id, or a group id)
 * @param sender the sending account id (ours for messages we sent)
 * @param senderDevice the sending device id
 * @param sentAt the sender's timestamp
 * @param receivedAt when this device stored it
 * @param body the message content as the SDK serialized it (stored encrypted)
 */
public record StoredMessage(
    UUID guid,
    String conversation,
    String sender,
    int senderDevice,
    Instant sentAt,
    Instant receivedAt,
    byte[] body) {
  /** Checks for nulls and copies the body. */
  public StoredMessage {
    Objects.requireNonNull(guid, "guid");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(receivedAt, "receivedAt");
    body = Objects.requireNonNull(body, "body").clone();
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredMessage m
        && guid.equals(m.guid)
        && conversation.equals(m.conversation)
        && sender.equals(m.sender)
        && senderDevice == m.senderDevice
        && sentAt.equals(m.sentAt)
        && receivedAt.equals(m.receivedAt)
        && java.util.Arrays.equals(body, m.body);
  }

  @Override
  public int hashCode() {
    return guid.hashCode();
  }

  @Override
  public String toString() {
    return "StoredMessage[guid=" + guid + ", " + body.length + " bytes]";
  }
}
