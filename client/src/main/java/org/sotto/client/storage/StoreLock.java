package org.sotto.client.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a store, held from open to close: an OS file lock on {@code <account>.lock}
 * against other processes, and a set of held paths against this process.
 *
 * <p>The set is static on purpose (the one piece of static mutable state here): OS file locks
 * belong to the process, and on POSIX systems closing <em>any</em> channel to the file releases
 * them, so a second open in this JVM must be refused before it opens a channel of its own. Access
 * is thread-safe.
 */
final class StoreLock implements AutoCloseable {
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock at {@code file} (created 0600 if missing).
   *
   * @throws StoreLockedException another process or another store object holds it
   */
  static StoreLock acquire(Path file) throws StorageException {
    Path path = file.toAbsolutePath().normalize();
    if (!HELD.add(path)) {
      throw new StoreLockedException("the local store is open already in this process");
    }
    FileChannel channel = null;
    try {
      if (!Files.exists(path)) {
        try {
          FilePermissions.createPrivateFile(path);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // Created concurrently by another process; locking below decides.
        }
      }
      channel = FileChannel.open(path, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new StoreLockedException("the local store is open in another process");
      }
      return new StoreLock(path, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      HELD.remove(path);
      throw new StorageException("cannot lock the local store", e);
    } catch (StorageException e) {
      closeQuietly(channel);
      HELD.remove(path);
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel below releases it as well.
    }
    closeQuietly(channel);
    HELD.remove(path);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing more to release.
      }
    }
  }
}
