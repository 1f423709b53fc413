package org.sotto.server.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sotto.api.dto.AttachmentCreated;
import org.sotto.server.http.ApiException;
import org.sotto.server.store.AttachmentRecord;
import org.sotto.server.store.AttachmentStore;
import org.sotto.server.store.StoreException;

/**
 * Coordinates attachment metadata ({@link AttachmentStore}) and bytes ({@link AttachmentFiles}):
 * resumable uploads, downloads of complete attachments, and expiry.
 *
 * <p>Crash rule: a chunk is synced to its file <i>before</i> the row's received size is raised, so
 * the row never claims more than the disk holds. After a crash the file may hold more (an
 * unacknowledged partial chunk); every upload and status request first reconciles both to {@code
 * min(row, file)}, cutting the file. Only one upload per attachment runs at a time (others get
 * 409), so reconciling never cuts bytes that are still being written. Thread-safe.
 */
public final class AttachmentManager {
  /** Attachments are deleted 30 days after creation: long enough for a phone that was off. */
  public static final Duration MAX_AGE = Duration.ofDays(30);

  /**
   * A file without a row this old is debris (a crash between deleting a file and its row, or an
   * upload racing expiry); younger ones are left alone in case their row is being written.
   */
  static final Duration ORPHAN_GRACE = Duration.ofHours(1);

  /** Rows expired per transaction, so one sweep never holds the writer for long. */
  static final int SWEEP_BATCH = 1_000;

  /** The header carrying upload positions (as in the tus protocol). */
  public static final String UPLOAD_OFFSET = "Upload-Offset";

  /** The header carrying the declared length on HEAD. */
  public static final String UPLOAD_LENGTH = "Upload-Length";

  private final AttachmentStore store;
  private final AttachmentFiles files;
  private final long maxBytes;
  private final SecureRandom random;
  private final Clock clock;
  private final Set<String> uploading = ConcurrentHashMap.newKeySet();

  /** A manager keeping files under {@code dataDir/attachments}. */
  public AttachmentManager(
      AttachmentStore store, Path dataDir, long maxBytes, SecureRandom random, Clock clock)
      throws IOException {
    this.store = store;
    this.files = new AttachmentFiles(dataDir);
    this.maxBytes = maxBytes;
    this.random = random;
    this.clock = clock;
  }

  /** Starts an upload of {@code length} bytes; 413 beyond the configured limit. */
  public AttachmentCreated create(long length) {
    if (length > maxBytes) {
      throw tooLarge("the attachment is larger than this server accepts");
    }
    String id = AttachmentIds.random(random);
    store.create(new AttachmentRecord(id, length, 0, clock.millis()));
    return new AttachmentCreated(id, length);
  }

  /**
   * The attachment with its received size reconciled with the disk (unless an upload is running,
   * whose committed size is then reported as stored).
   */
  public AttachmentRecord status(String id) {
    AttachmentRecord rec = find(id);
    if (!uploading.add(id)) {
      return rec;
    }
    try {
      return reconcile(rec);
    } finally {
      uploading.remove(id);
    }
  }

  /**
   * Appends {@code body} at {@code offset}, which must equal the received size (else 409 with the
   * received size in {@code Upload-Offset}); returns the new received size. More bytes than the
   * declared length → 413 and nothing is kept. A body that breaks off keeps what arrived (resume
   * from the offset HEAD reports).
   *
   * @param contentLength the declared body length, or -1 when unknown (chunked)
   */
  public long upload(String id, long offset, long contentLength, InputStream body) {
    AttachmentRecord rec = find(id);
    if (!uploading.add(id)) {
      throw conflict("upload_in_progress", "another upload of this attachment is running", rec);
    }
    try {
      rec = reconcile(rec);
      if (offset != rec.received()) {
        throw conflict("offset_mismatch", "Upload-Offset must equal the received size", rec);
      }
      long remaining = rec.length() - rec.received();
      if (contentLength > remaining) {
        throw tooLarge(BEYOND_LENGTH);
      }
      AttachmentFiles.Appended a = files.append(id, rec.received(), body, remaining);
      if (a.tooLarge()) {
        throw tooLarge(BEYOND_LENGTH);
      }
      long received = rec.received() + a.bytes();
      if (a.bytes() > 0) {
        store.setReceived(id, received);
      }
      if (a.bodyFailed()) {
        throw new ApiException(
            400,
            "upload_interrupted",
            "the body broke off; resume from Upload-Offset",
            null,
            Map.of(UPLOAD_OFFSET, Long.toString(received)));
      }
      return received;
    } catch (IOException e) {
      throw new StoreException("writing an attachment failed", e);
    } finally {
      uploading.remove(id);
    }
  }

  /** A complete attachment to download, with its file; 409 while it is incomplete. */
  public Download download(String id) {
    AttachmentRecord rec = find(id);
    try {
      long onDisk = files.size(id);
      if (!rec.complete() || onDisk < rec.length()) {
        throw conflict(
            "incomplete",
            "the upload is not complete",
            new AttachmentRecord(
                id, rec.length(), Math.min(rec.received(), onDisk), rec.createdMs()));
      }
    } catch (IOException e) {
      throw new StoreException("reading an attachment failed", e);
    }
    return new Download(rec.length(), files.path(id));
  }

  /** A complete attachment's length and file. */
  public record Download(long length, Path file) {}

  /**
   * Deletes attachments older than {@link #MAX_AGE} (files first, then rows, so a crash between
   * leaves a row whose file is gone, which reconciles to 0 and is deleted next time) and stray
   * files without a row. Returns how many attachments expired.
   */
  public int sweep() {
    long now = clock.millis();
    long cutoff = now - MAX_AGE.toMillis();
    int expired = 0;
    try {
      while (true) {
        List<String> ids = store.createdBefore(cutoff, SWEEP_BATCH);
        for (String id : ids) {
          files.delete(id);
        }
        store.delete(ids);
        expired += ids.size();
        if (ids.size() < SWEEP_BATCH) {
          break;
        }
      }
      for (String id : files.ids()) {
        if (files.modifiedMs(id) < now - ORPHAN_GRACE.toMillis()
            && !uploading.contains(id)
            && store.find(id).isEmpty()) {
          files.delete(id);
        }
      }
    } catch (IOException e) {
      throw new StoreException("expiring attachments failed", e);
    }
    return expired;
  }

  private AttachmentRecord find(String id) {
    if (!AttachmentIds.valid(id)) {
      throw ApiException.badRequest("invalid_id", "not an attachment id");
    }
    return store
        .find(id)
        .orElseThrow(() -> ApiException.notFound("not_found", "no such attachment"));
  }

  /** Cuts the file and the row to what both hold. Call only while holding {@code uploading}. */
  private AttachmentRecord reconcile(AttachmentRecord rec) {
    try {
      long onDisk = files.size(rec.id());
      long good = Math.min(rec.received(), onDisk);
      if (onDisk > good) {
        files.truncate(rec.id(), good);
      }
      if (rec.received() > good) {
        store.setReceived(rec.id(), good);
      }
      return new AttachmentRecord(rec.id(), rec.length(), good, rec.createdMs());
    } catch (IOException e) {
      throw new StoreException("reading an attachment failed", e);
    }
  }

  private static ApiException conflict(String code, String message, AttachmentRecord rec) {
    return new ApiException(
        409, code, message, null, Map.of(UPLOAD_OFFSET, Long.toString(rec.received())));
  }

  private static final String BEYOND_LENGTH = "the body goes beyond the declared length";

  private static ApiException tooLarge(String message) {
    return new ApiException(413, "too_large", message);
  }
}
