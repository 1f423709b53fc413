package org.sotto.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An attachment of a message: for a received message where it was saved, or why it could not be;
 * for a message we sent, the file we sent. Immutable.
 *
 * @param fileName the sender's file name, cleaned of path separators (a hint for display only)
 * @param contentType the sender's MIME type hint, or empty
 * @param size plaintext bytes as the sender announced them
 * @param path the saved file ({@code <storeDir>/attachments/...}, mode 0600), or null on failure
 * @param failure why the attachment is missing, or null when {@code path} is set
 */
public record ReceivedAttachment(
    String fileName, String contentType, long size, Path path, Failure failure) {
  /** Why an attachment could not be saved. */
  public enum Failure {
    /** The download failed (server unreachable, attachment expired or gone). */
    DOWNLOAD_FAILED,
    /** The blob's digest or MAC did not match: tampered, damaged or a wrong key. */
    INVALID,
    /** The local file system failed while saving. */
    LOCAL_ERROR,
    /**
     * Not downloaded yet: the download is running, or was cut off and is retried when the server
     * delivers the message again.
     */
    PENDING
  }

  /** Checks that exactly one of {@code path} and {@code failure} is set. */
  public ReceivedAttachment {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(contentType, "contentType");
    if ((path == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of path and failure");
    }
  }

  /** Leaves the file name and path out (they may say what the file is about). */
  @Override
  public String toString() {
    return "ReceivedAttachment[" + size + " bytes" + (failure == null ? "" : ", " + failure) + "]";
  }

  /** Whether the file was saved. */
  public boolean saved() {
    return path != null;
  }
}
