package org.sotto.client;

import java.nio.file.Path;

/**
 * Progress of attachment uploads. Called from the sending thread; must return quickly and not call
 * back into the client.
 */
@FunctionalInterface
public interface TransferListener {
  /** Does nothing. */
  TransferListener NONE = (file, done, total) -> {};

  /**
   * {@code done} of {@code total} encrypted bytes of {@code file} have been uploaded (the total is
   * the encrypted size, slightly larger than the file).
   */
  void onProgress(Path file, long done, long total);
}
