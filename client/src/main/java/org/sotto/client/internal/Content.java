package org.sotto.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What travels inside the encryption: a small versioned JSON object {@code {"v":1, "text",
 * "timestamp", "destination", "attachments", "receipt", "expireTimer", "profileKey"}}. {@code
 * destination} is set only on the copy sent to our own other devices, so they file it under the
 * right conversation; {@code profileKey} is the sender's profile key, which lets the recipient read
 * its profile name and send to it sealed.
 *
 * <p>A content is one of: a message (text and/or attachments), a receipt ({@code receipt} only) or
 * a disappearing-timer change ({@code expireTimer} only, seconds, 0 = off). A message may have no
 * text when it carries attachments. Unknown fields are ignored, so later versions can add fields; a
 * higher {@code v} means a message this client cannot read. {@link #toString()} leaves the text and
 * keys out. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Content(
    int v,
    String text,
    long timestamp,
    String destination,
    List<Attachment> attachments,
    Receipt receipt,
    Long expireTimer,
    String profileKey) {
  /** The content version this client writes and reads. */
  static final int VERSION = 1;

  /**
   * Largest text accepted when sending: well under the server's envelope limit after padding and
   * encryption, and small enough that a history page stays cheap to load.
   */
  static final int MAX_TEXT_CHARS = 64 * 1024;

  /**
   * Most attachments in one message: each pointer is a few hundred bytes of JSON, so 32 of them
   * stay far below the envelope limit, and a message cannot make a receiver start hundreds of
   * downloads.
   */
  static final int MAX_ATTACHMENTS = 32;

  /**
   * Most timestamps in one receipt: a client acknowledges what one receive run brought (a few
   * hundred at most); more would only let a sender make us run a long update.
   */
  static final int MAX_RECEIPT_TIMESTAMPS = 1_000;

  /**
   * Longest disappearing-message timer: one year, longer than any sensible setting, and short
   * enough that {@code now + timer} never overflows an {@code Instant}.
   */
  static final long MAX_EXPIRE_TIMER_SECONDS = 365L * 24 * 3600;

  /** Longest file name or content type kept from a sender: plenty for real names, bounded. */
  static final int MAX_NAME_CHARS = 255;

  /** Bytes of an attachment key: 32 for AES-256 and 32 for HMAC-SHA256. */
  static final int ATTACHMENT_KEY_BYTES = 64;

  /** Bytes of a SHA-256 digest. */
  static final int DIGEST_BYTES = 32;

  /** Attachment ids as the server issues them. */
  private static final Pattern ATTACHMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * A pointer to an encrypted attachment on the server. {@link #toString()} leaves the key out.
   *
   * @param id the server's attachment id
   * @param key base64 of the 64-byte key
   * @param digest base64 of the SHA-256 of the uploaded blob
   * @param size plaintext bytes
   * @param fileName the sender's file name (a hint only, never a path), may be null
   * @param contentType a MIME type hint, may be null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Attachment(
      String id, String key, String digest, long size, String fileName, String contentType) {
    byte[] keyBytes() {
      return Base64.getDecoder().decode(key);
    }

    byte[] digestBytes() {
      return Base64.getDecoder().decode(digest);
    }

    @Override
    public String toString() {
      return "Attachment[" + id + ", " + size + " bytes]";
    }
  }

  /**
   * A delivery or read receipt for the sender's messages with these timestamps.
   *
   * @param type {@link #DELIVERY} or {@link #READ}
   * @param timestamps the sent timestamps of the messages it acknowledges
   */
  record Receipt(String type, List<Long> timestamps) {
    static final String DELIVERY = "delivery";
    static final String READ = "read";
  }

  /** A text message (version 1). */
  static Content of(String text, long timestamp, String destination) {
    return message(text, timestamp, destination, null);
  }

  /** A message with text (may be empty when there are attachments) and attachments. */
  static Content message(
      String text, long timestamp, String destination, List<Attachment> attachmentsOrNull) {
    Objects.requireNonNull(text, "text");
    if (text.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException("text: longer than " + MAX_TEXT_CHARS + " characters");
    }
    List<Attachment> a =
        attachmentsOrNull == null || attachmentsOrNull.isEmpty()
            ? null
            : List.copyOf(attachmentsOrNull);
    if (a != null && a.size() > MAX_ATTACHMENTS) {
      throw new IllegalArgumentException("at most " + MAX_ATTACHMENTS + " attachments");
    }
    return new Content(VERSION, text, timestamp, destination, a, null, null, null);
  }

  /** A receipt for the messages sent at {@code timestamps}. */
  static Content receipt(String type, List<Long> timestamps, long timestamp) {
    if (timestamps.isEmpty() || timestamps.size() > MAX_RECEIPT_TIMESTAMPS) {
      throw new IllegalArgumentException(
          "a receipt acknowledges 1.." + MAX_RECEIPT_TIMESTAMPS + " messages");
    }
    if (timestamps.stream().anyMatch(t -> t == null || t <= 0)) {
      throw new IllegalArgumentException("a receipt names messages by positive timestamps");
    }
    return new Content(
        VERSION,
        null,
        timestamp,
        null,
        null,
        new Receipt(type, List.copyOf(timestamps)),
        null,
        null);
  }

  /** A change of the conversation's disappearing-message timer to {@code seconds} (0 = off). */
  static Content timerChange(long seconds, long timestamp, String destination) {
    if (seconds < 0 || seconds > MAX_EXPIRE_TIMER_SECONDS) {
      throw new IllegalArgumentException("timer: 0.." + MAX_EXPIRE_TIMER_SECONDS + " seconds");
    }
    return new Content(VERSION, null, timestamp, destination, null, null, seconds, null);
  }

  /** This content carrying the sender's profile key (see {@link Profiles}). */
  Content withProfileKey(byte[] key) {
    return new Content(
        v,
        text,
        timestamp,
        destination,
        attachments,
        receipt,
        expireTimer,
        Base64.getEncoder().encodeToString(key));
  }

  /** This content without a profile key (what the history keeps). */
  Content withoutProfileKey() {
    return new Content(v, text, timestamp, destination, attachments, receipt, expireTimer, null);
  }

  /**
   * The profile key this content carries, if it is well formed (base64 of {@link
   * ProfileCipher#PROFILE_KEY_BYTES} bytes); a malformed one is ignored, not an error.
   */
  Optional<byte[]> profileKeyBytes() {
    if (profileKey == null) {
      return Optional.empty();
    }
    try {
      byte[] k = Base64.getDecoder().decode(profileKey);
      return k.length == ProfileCipher.PROFILE_KEY_BYTES ? Optional.of(k) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether this is a message (text or attachments) rather than a receipt or a timer change. */
  boolean isMessage() {
    return receipt == null && expireTimer == null;
  }

  /** The text, or empty when the message has attachments only. */
  String textOrEmpty() {
    return text == null ? "" : text;
  }

  /** The attachments, or an empty list. */
  List<Attachment> attachmentList() {
    return attachments == null ? List.of() : attachments;
  }

  byte[] encode() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new AssertionError("a record of strings and numbers always serializes", e);
    }
  }

  /**
   * Parses content. Bad JSON, an unknown version, a content that is neither a message (text or
   * attachments), a receipt nor a timer change, or a malformed field is an {@link IOException}
   * whose message names no user data.
   */
  static Content decode(byte[] bytes) throws IOException {
    Content c;
    try {
      c = JSON.readValue(bytes, Content.class);
    } catch (IOException | RuntimeException e) {
      throw new IOException("content is not valid JSON content");
    }
    if (c == null || c.v() != VERSION) {
      throw new IOException("content has an unsupported version");
    }
    boolean message = c.text() != null || (c.attachments() != null && !c.attachments().isEmpty());
    int kinds =
        (message ? 1 : 0) + (c.receipt() != null ? 1 : 0) + (c.expireTimer() != null ? 1 : 0);
    if (kinds != 1) {
      throw new IOException("content is not exactly one of message, receipt or timer change");
    }
    if (c.text() != null && c.text().length() > MAX_TEXT_CHARS) {
      throw new IOException("content text is too long");
    }
    if (c.attachments() != null) {
      checkAttachments(c.attachments());
    }
    if (c.receipt() != null) {
      checkReceipt(c.receipt());
    }
    if (c.expireTimer() != null
        && (c.expireTimer() < 0 || c.expireTimer() > MAX_EXPIRE_TIMER_SECONDS)) {
      throw new IOException("content has an invalid expireTimer");
    }
    return c;
  }

  private static void checkAttachments(List<Attachment> list) throws IOException {
    if (list.size() > MAX_ATTACHMENTS) {
      throw new IOException("content has too many attachments");
    }
    for (Attachment a : list) {
      if (a == null || a.id() == null || !ATTACHMENT_ID.matcher(a.id()).matches()) {
        throw new IOException("attachment has no valid id");
      }
      if (decodedLength(a.key()) != ATTACHMENT_KEY_BYTES) {
        throw new IOException("attachment key is not " + ATTACHMENT_KEY_BYTES + " bytes");
      }
      if (decodedLength(a.digest()) != DIGEST_BYTES) {
        throw new IOException("attachment digest is not " + DIGEST_BYTES + " bytes");
      }
      if (a.size() < 0 || a.size() > Attachments.MAX_ATTACHMENT_BYTES) {
        throw new IOException("attachment size is out of range");
      }
      if ((a.fileName() != null && a.fileName().length() > MAX_NAME_CHARS)
          || (a.contentType() != null && a.contentType().length() > MAX_NAME_CHARS)) {
        throw new IOException("attachment name or type is too long");
      }
    }
  }

  private static void checkReceipt(Receipt r) throws IOException {
    if (!Receipt.DELIVERY.equals(r.type()) && !Receipt.READ.equals(r.type())) {
      throw new IOException("receipt has an unknown type");
    }
    List<Long> ts = r.timestamps();
    if (ts == null || ts.isEmpty() || ts.size() > MAX_RECEIPT_TIMESTAMPS) {
      throw new IOException("receipt has no or too many timestamps");
    }
    for (Long t : ts) {
      if (t == null || t <= 0) {
        throw new IOException("receipt has an invalid timestamp");
      }
    }
  }

  private static int decodedLength(String b64) {
    if (b64 == null) {
      return -1;
    }
    try {
      return Base64.getDecoder().decode(b64).length;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return "Content[v=" + v + ", timestamp=" + timestamp + "]";
  }
}
