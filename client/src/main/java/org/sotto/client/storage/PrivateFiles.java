package org.sotto.client.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Owner-only folders (0700) and files (0600) for what the SDK keeps beside the store, such as saved
 * attachments. Stateless; thread-safe.
 */
public final class PrivateFiles {
  private PrivateFiles() {}

  /** Creates {@code folder} and missing parents; folders it creates are owner-only. */
  public static Path folder(Path folder) throws IOException {
    FilePermissions.createPrivateFolders(folder);
    return folder;
  }

  /** Creates an empty owner-only file; fails if it exists (so two creators cannot both win). */
  public static Path newFile(Path file) throws IOException {
    FilePermissions.createPrivateFile(file);
    return file;
  }
}
