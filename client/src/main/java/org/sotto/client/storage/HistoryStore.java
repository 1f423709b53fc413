package org.sotto.client.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The account's message history. Bodies are encrypted and bound to the message's guid,
 * conversation, sender and sent time, so a body cannot be moved to another message or conversation
 * unnoticed; those metadata columns themselves are stored in the clear for ordering and lookups.
 * Thread-safe.
 */
public final class HistoryStore {
  /** Largest page {@link #latest} returns, so a careless caller cannot load a whole history. */
  public static final int MAX_PAGE = 1_000;

  private static final String TABLE = "messages";

  private final LocalStore store;

  HistoryStore(LocalStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Stores {@code message} unless a message with its guid is stored already.
   *
   * @return true if stored, false if it was a duplicate
   */
  public boolean add(StoredMessage message) throws StorageException {
    return add(message, null);
  }

  /**
   * Stores {@code message} unless a message with its guid is stored already; it disappears at
   * {@code expiresAtOrNull} (see {@link #deleteExpired}), or never when null.
   *
   * @return true if stored, false if it was a duplicate
   */
  public boolean add(StoredMessage message, Instant expiresAtOrNull) throws StorageException {
    Objects.requireNonNull(message, "message");
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  INSERT INTO messages
                    (guid, conversation, sender, sender_device, sent_at, received_at, body_enc,
                     expires_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (guid) DO NOTHING
                  """)) {
            ps.setString(1, message.guid().toString());
            ps.setString(2, message.conversation());
            ps.setString(3, message.sender());
            ps.setInt(4, message.senderDevice());
            ps.setLong(5, message.sentAt().toEpochMilli());
            ps.setLong(6, message.receivedAt().toEpochMilli());
            ps.setBytes(
                7,
                store
                    .cipher()
                    .encrypt(
                        message.body(),
                        rowId(
                            message.guid().toString(),
                            message.conversation(),
                            message.sender(),
                            message.senderDevice(),
                            message.sentAt().toEpochMilli())));
            if (expiresAtOrNull == null) {
              ps.setNull(8, java.sql.Types.INTEGER);
            } else {
              ps.setLong(8, expiresAtOrNull.toEpochMilli());
            }
            return ps.executeUpdate() == 1;
          }
        });
  }

  /** Attachment records, delivery status and envelopes handled without a history row. */
  public MessageStateStore state() {
    return new MessageStateStore(store);
  }

  /**
   * Whether a message with this envelope guid was stored, or the envelope was handled without a
   * history row ({@link MessageStateStore#markSeen}): client-side de-duplication.
   */
  public boolean hasSeen(UUID guid) throws StorageException {
    Objects.requireNonNull(guid, "guid");
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM messages WHERE guid = ?"
                      + " UNION ALL SELECT 1 FROM seen_envelopes WHERE guid = ?")) {
            ps.setString(2, guid.toString());
            ps.setString(1, guid.toString());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /** The message with this guid, if stored. */
  public Optional<StoredMessage> get(UUID guid) throws StorageException {
    Objects.requireNonNull(guid, "guid");
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  SELECT guid, conversation, sender, sender_device, sent_at, received_at, body_enc
                  FROM messages WHERE guid = ?
                  """)) {
            ps.setString(1, guid.toString());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  /**
   * The newest {@code limit} messages of a conversation, oldest first.
   *
   * @param limit 1..{@link #MAX_PAGE}
   */
  public List<StoredMessage> latest(String conversation, int limit) throws StorageException {
    Objects.requireNonNull(conversation, "conversation");
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
    }
    return store.transaction(
        c -> {
          List<StoredMessage> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  SELECT guid, conversation, sender, sender_device, sent_at, received_at, body_enc
                  FROM messages WHERE conversation = ?
                  ORDER BY sent_at DESC, received_at DESC LIMIT ?
                  """)) {
            ps.setString(1, conversation);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(read(rs));
              }
            }
          }
          Collections.reverse(out);
          return out;
        });
  }

  /** Deletes a message with its attachment records and status; returns whether it existed. */
  public boolean delete(UUID guid) throws StorageException {
    Objects.requireNonNull(guid, "guid");
    return store.transaction(
        c -> {
          for (String table : new String[] {"message_attachments", "message_status"}) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + table + " WHERE guid = ?")) {
              ps.setString(1, guid.toString());
              ps.executeUpdate();
            }
          }
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM messages WHERE guid = ?")) {
            ps.setString(1, guid.toString());
            return ps.executeUpdate() == 1;
          }
        });
  }

  /**
   * The guids of messages whose {@code expires_at} is at or before {@code now} (at most {@link
   * #MAX_PAGE}); the caller deletes their files, then the rows with {@link #delete}.
   */
  public List<UUID> expired(Instant now) throws StorageException {
    return store.transaction(
        c -> {
          List<UUID> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT guid FROM messages WHERE expires_at IS NOT NULL AND expires_at <= ?"
                      + " LIMIT ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setInt(2, MAX_PAGE);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                try {
                  out.add(UUID.fromString(rs.getString(1)));
                } catch (IllegalArgumentException e) {
                  throw new CorruptStoreException("a stored message guid does not parse");
                }
              }
            }
          }
          return out;
        });
  }

  /**
   * The guids of messages in {@code conversation} written by {@code sender} with sender timestamp
   * {@code sentAt} (receipts name messages by their timestamp).
   */
  public List<UUID> findByTimestamp(String conversation, String sender, long sentAt)
      throws StorageException {
    return store.transaction(
        c -> {
          List<UUID> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT guid FROM messages WHERE conversation = ? AND sender = ? AND sent_at = ?")) {
            ps.setString(1, conversation);
            ps.setString(2, sender);
            ps.setLong(3, sentAt);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                try {
                  out.add(UUID.fromString(rs.getString(1)));
                } catch (IllegalArgumentException e) {
                  throw new CorruptStoreException("a stored message guid does not parse");
                }
              }
            }
          }
          return out;
        });
  }

  private StoredMessage read(ResultSet rs) throws SQLException, StorageException {
    String guid = rs.getString(1);
    String conversation = rs.getString(2);
    String sender = rs.getString(3);
    int device = rs.getInt(4);
    long sentAt = rs.getLong(5);
    byte[] body =
        store
            .cipher()
            .decrypt(rs.getBytes(7), rowId(guid, conversation, sender, device, sentAt), TABLE);
    UUID id;
    try {
      id = UUID.fromString(guid);
    } catch (IllegalArgumentException e) {
      throw new CorruptStoreException("a stored message guid does not parse");
    }
    return new StoredMessage(
        id,
        conversation,
        sender,
        device,
        Instant.ofEpochMilli(sentAt),
        Instant.ofEpochMilli(rs.getLong(6)),
        body);
  }

  private static byte[] rowId(
      String guid, String conversation, String sender, int device, long sentAt) {
    return FieldCipher.rowId(TABLE, "body_enc", guid, conversation, sender, device, sentAt);
  }
}
