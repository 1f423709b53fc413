package org.sotto.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Metadata of attachment uploads (the bytes live in files). Implementations are thread-safe; writes
 * are durable when they return.
 */
public interface AttachmentStore {
  /** Stores a new upload. */
  void create(AttachmentRecord attachment);

  /** The upload, if it exists. */
  Optional<AttachmentRecord> find(String id);

  /** Records that {@code received} bytes are durably on disk. */
  void setReceived(String id, long received);

  /** Ids of uploads created before {@code cutoffMs}, at most {@code limit}. */
  List<String> createdBefore(long cutoffMs, int limit);

  /** Deletes these uploads' rows. */
  void delete(List<String> ids);
}
