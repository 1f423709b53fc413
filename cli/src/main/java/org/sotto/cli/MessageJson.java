package org.sotto.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sotto.api.AccountId;
import org.sotto.client.ContactInfo;
import org.sotto.client.IncomingMessage;
import org.sotto.client.ReceivedAttachment;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;

/**
 * The one JSON form of a received message, shared by {@code receive -o json}, {@code chat} and the
 * daemon's events: {@code {"id","from","fromUuid","device","timestamp","text","attachments"}}.
 * {@code from} is the sender's handle when it is a contact with a handle, else its account id;
 * {@code fromUuid} is always the account id; {@code timestamp} is in epoch milliseconds. {@link
 * #toString()} leaves the text out. Immutable.
 *
 * @param id the envelope guid
 * @param from the sender's handle, or its account id
 * @param fromUuid the sender's account id
 * @param device the sender's device
 * @param timestamp the sender's timestamp (epoch milliseconds)
 * @param text the message text
 * @param attachments the message's attachments
 */
@JsonPropertyOrder({"id", "from", "fromUuid", "device", "timestamp", "text", "attachments"})
record MessageJson(
    String id,
    String from,
    String fromUuid,
    int device,
    long timestamp,
    String text,
    List<MessageJson.Attachment> attachments) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The JSON form of {@code m}, with the sender shown as {@code names} knows it. */
  static MessageJson of(IncomingMessage m, Names names) {
    return new MessageJson(
        m.guid().toString(),
        names.nameOf(m.sender()),
        m.sender().toString(),
        m.senderDevice(),
        m.sentAt().toEpochMilli(),
        m.text(),
        m.attachments().stream().map(Attachment::of).toList());
  }

  /**
   * One attachment as JSON: {@code path} is where it was saved, or null when it could not be; then
   * {@code failure} says why ({@code INVALID}, {@code DOWNLOAD_FAILED}, ...). Immutable.
   *
   * @param fileName the sender's file name (cleaned)
   * @param size the plaintext size in bytes
   * @param path the saved file, or null
   * @param failure why it was not saved, or null
   */
  @JsonPropertyOrder({"fileName", "size", "path", "failure"})
  record Attachment(
      String fileName,
      long size,
      String path,
      @JsonInclude(JsonInclude.Include.NON_NULL) String failure) {
    static Attachment of(ReceivedAttachment a) {
      return new Attachment(
          a.fileName(),
          a.size(),
          a.saved() ? a.path().toString() : null,
          a.saved() ? null : a.failure().name());
    }
  }

  /**
   * The plain form: {@code TIME FROM.DEVICE: TEXT}, then one indented line per attachment (its
   * saved path, or why it was not saved).
   */
  String plain() {
    StringBuilder b =
        new StringBuilder(
            java.time.Instant.ofEpochMilli(timestamp) + " " + from + "." + device + ": " + text);
    for (Attachment a : attachments) {
      b.append(System.lineSeparator());
      if (a.path() != null) {
        b.append("  attachment: ").append(a.path());
      } else {
        b.append("  attachment not saved (").append(a.failure()).append("): ").append(a.fileName());
      }
    }
    return b.toString();
  }

  /** Leaves the text out (it is the message's plaintext). */
  @Override
  public String toString() {
    return "MessageJson[" + id + ", from " + fromUuid + "." + device + "]";
  }

  /** This object as one line of JSON. */
  String line() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON output", e);
    }
  }

  /**
   * Shows accounts by handle when the client's contacts know one. Reads the contacts once and again
   * when it meets an account it has not seen (a contact may have been added meanwhile). Not
   * thread-safe.
   */
  static final class Names {
    private final SottoClient client;
    private final Map<AccountId, String> handles = new HashMap<>();

    Names(SottoClient client) {
      this.client = client;
      reload();
    }

    /** The handle of {@code account} when known, else its account id. */
    String nameOf(AccountId account) {
      if (!handles.containsKey(account)) {
        reload();
      }
      String h = handles.get(account);
      return h != null ? h : account.toString();
    }

    private void reload() {
      try {
        for (ContactInfo c : client.contacts()) {
          c.handle().ifPresent(h -> handles.put(c.accountId(), h));
        }
      } catch (SottoException e) {
        // Showing the account id instead of the handle is the fallback; receiving goes on.
      }
    }
  }
}
