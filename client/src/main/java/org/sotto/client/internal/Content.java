package org.sotto.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * What travels inside the encryption: a small versioned JSON object {@code {"v":1, "text",
 * "timestamp", "destination", "profileKey"}}. {@code destination} is set only on the copy sent to
 * our own other devices, so they file it under the right conversation; {@code profileKey} is the
 * sender's profile key, which lets the recipient read its profile name and send to it sealed.
 * Unknown fields are ignored, so later versions can add fields; a higher {@code v} means a message
 * this client cannot read. {@link #toString()} leaves the text out. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Content(
    int v,
    String text,
    long timestamp,
    String destination,
    // branch prof: the sender's profile key (base64 of 32 bytes), on every message it sends.
    String profileKey) {
  /** The content version this client writes and reads. */
  static final int VERSION = 1;

  /**
   * Largest text accepted when sending: well under the server's envelope limit after padding and
   * encryption, and small enough that a history page stays cheap to load.
   */
  static final int MAX_TEXT_CHARS = 64 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Version 1 content. */
  static Content of(String text, long timestamp, String destination) {
    Objects.requireNonNull(text, "text");
    if (text.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException("text: longer than " + MAX_TEXT_CHARS + " characters");
    }
    return new Content(VERSION, text, timestamp, destination, null);
  }

  /** This content carrying the sender's profile key (see {@link Profiles}). */
  Content withProfileKey(byte[] key) {
    return new Content(v, text, timestamp, destination, Base64.getEncoder().encodeToString(key));
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

  byte[] encode() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new AssertionError("a record of strings and numbers always serializes", e);
    }
  }

  /** Parses content; a missing text, an unknown version or bad JSON is an {@link IOException}. */
  static Content decode(byte[] bytes) throws IOException {
    Content c;
    try {
      c = JSON.readValue(bytes, Content.class);
    } catch (IOException | RuntimeException e) {
      throw new IOException("content is not valid JSON content");
    }
    if (c == null || c.v() != VERSION || c.text() == null) {
      throw new IOException("content has an unsupported version or no text");
    }
    return c;
  }

  @Override
  public String toString() {
    return "Content[v=" + v + ", timestamp=" + timestamp + "]";
  }
}
