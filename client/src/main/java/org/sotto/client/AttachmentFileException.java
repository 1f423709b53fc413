package org.sotto.client;

import java.nio.file.Path;

/** A file to attach is missing, unreadable, not a regular file or too large. Nothing was sent. */
public final class AttachmentFileException extends SottoException {
  private static final long serialVersionUID = 1L;

  /** The file's path (kept out of the message: a file name may be personal). */
  private final transient Path file;

  /** A refused file and the reason. */
  public AttachmentFileException(Path file, String reason) {
    super("cannot attach a file: " + reason);
    this.file = file;
  }

  /** The refused file. */
  public Path file() {
    return file;
  }
}
