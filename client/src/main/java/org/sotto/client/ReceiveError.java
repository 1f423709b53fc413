package org.sotto.client;

import java.util.Objects;
import java.util.UUID;

/**
 * An envelope that could not be read. It was acknowledged (the server deletes it) unless {@link
 * #kind()} is {@link Kind#LOCAL_STORE}, and no session was changed. Immutable.
 *
 * @param guid the envelope's guid
 * @param source the sender's address ({@code account.device}), or empty when unknown
 * @param kind what went wrong
 */
public record ReceiveError(UUID guid, String source, Kind kind) {
  /** What went wrong with an envelope. */
  public enum Kind {
    /** Decryption failed: damaged, duplicate or forged ciphertext, or no session. */
    UNDECRYPTABLE,
    /** The sender's identity changed and is not trusted. */
    UNTRUSTED_IDENTITY,
    /** Decrypted, but the content is not a message this client understands. */
    UNREADABLE_CONTENT,
    /** An envelope type this client does not handle. */
    UNSUPPORTED_TYPE,
    /**
     * A sealed-sender envelope whose sender certificate is not signed by the server's pinned trust
     * root, is expired or malformed: the claimed sender cannot be believed.
     */
    INVALID_SENDER_CERTIFICATE,
    /** The local store failed; the envelope was not acknowledged and will come again. */
    LOCAL_STORE
  }

  /** Checks for nulls. */
  public ReceiveError {
    Objects.requireNonNull(guid, "guid");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
  }
}
