package org.sotto.server.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.sotto.server.files.PrivateFiles;

/**
 * The bytes of attachments: one owner-only file per attachment under {@code DATA/attachments/},
 * named by its validated id. Appends are synced to disk before they return, so the metadata row can
 * be updated after them and never claims more than the file holds. Not synchronised itself: {@link
 * AttachmentManager} lets only one upload touch a file at a time.
 */
final class AttachmentFiles {
  /** The folder inside the data folder. */
  static final String DIRECTORY = "attachments";

  /** Copy buffer: big enough for few system calls, small enough to be cheap per upload. */
  static final int CHUNK_BYTES = 64 * 1024;

  /** What one append did. */
  record Appended(long bytes, boolean tooLarge, boolean bodyFailed) {}

  private final Path dir;

  AttachmentFiles(Path dataDir) throws IOException {
    this.dir = PrivateFiles.directory(dataDir.resolve(DIRECTORY));
  }

  /** The file of {@code id}; refuses anything that is not an id. */
  Path path(String id) {
    if (!AttachmentIds.valid(id)) {
      throw new IllegalArgumentException("not an attachment id");
    }
    return dir.resolve(id);
  }

  /** Bytes on disk (0 when the file does not exist yet). */
  long size(String id) throws IOException {
    try {
      return Files.size(path(id));
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** Cuts the file to {@code size} bytes and syncs it. */
  void truncate(String id, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    } catch (NoSuchFileException e) {
      // Nothing to cut.
    }
  }

  /**
   * Copies {@code in} to the file from {@code offset} until the stream ends, syncing before it
   * returns. Stops at {@code maxBytes}: if the stream has more, the file is cut back to {@code
   * offset} ({@code tooLarge}, nothing kept). If reading the stream fails (the client went away),
   * what arrived so far is kept and synced ({@code bodyFailed}). Throws only for file I/O failures.
   */
  Appended append(String id, long offset, InputStream in, long maxBytes) throws IOException {
    Path file = path(id);
    boolean created = !Files.exists(file);
    long written = 0;
    boolean tooLarge = false;
    boolean bodyFailed = false;
    try (FileChannel ch = PrivateFiles.openForWrite(file)) {
      ch.position(offset);
      byte[] buf = new byte[CHUNK_BYTES];
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          bodyFailed = true;
          break;
        }
        if (n < 0) {
          break;
        }
        if (written + n > maxBytes) {
          tooLarge = true;
          break;
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
        written += n;
      }
      if (tooLarge) {
        ch.truncate(offset);
        written = 0;
      }
      ch.force(true);
    }
    if (created) {
      PrivateFiles.syncDirectory(dir);
    }
    return new Appended(written, tooLarge, bodyFailed);
  }

  /** Deletes the file if it exists. */
  void delete(String id) throws IOException {
    Files.deleteIfExists(path(id));
  }

  /** Names of the files that look like attachments (anything else is left alone). */
  List<String> ids() throws IOException {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        String name = p.getFileName().toString();
        if (AttachmentIds.valid(name)) {
          ids.add(name);
        }
      }
    }
    return ids;
  }

  /** Last modification of the file, epoch ms (0 when gone). */
  long modifiedMs(String id) throws IOException {
    try {
      return Files.getLastModifiedTime(path(id)).toMillis();
    } catch (NoSuchFileException e) {
      return 0;
    }
  }
}
