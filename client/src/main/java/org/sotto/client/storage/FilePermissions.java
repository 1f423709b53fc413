package org.sotto.client.storage;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only files (0600) and folders (0700) on POSIX file systems. Elsewhere (Windows) the
 * defaults stay: a user's profile folder is private there already. Stateless; thread-safe.
 */
final class FilePermissions {
  static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");

  private FilePermissions() {}

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Creates {@code folder} and missing parents; a folder we create is 0700, existing ones stay. */
  static void createPrivateFolders(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    Path parent = folder.toAbsolutePath().getParent();
    if (parent != null) {
      createPrivateFolders(parent);
    }
    if (posix()) {
      Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
      // The umask may have removed bits but never adds any; set exactly what we want.
      Files.setPosixFilePermissions(folder, OWNER_FOLDER);
    } else {
      Files.createDirectory(folder);
    }
  }

  /** Creates an empty 0600 file; fails if it exists (so two creators cannot both win). */
  static void createPrivateFile(Path file) throws IOException {
    if (posix()) {
      FileAttribute<Set<PosixFilePermission>> attr =
          PosixFilePermissions.asFileAttribute(OWNER_FILE);
      Files.createFile(file, attr);
    } else {
      Files.createFile(file);
    }
  }

  /** Sets 0600 on {@code file} if it exists (our own files, e.g. after a user copied them). */
  static void restrict(Path file) throws IOException {
    if (posix() && Files.exists(file)) {
      Files.setPosixFilePermissions(file, OWNER_FILE);
    }
  }
}
