package org.sotto.client.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What the history keeps beside message bodies: each message's attachment records (opaque values
 * the SDK serializes, stored encrypted and bound to message and position), the delivery status of
 * our sent messages per recipient (encrypted), and the guids of envelopes handled without a history
 * row (receipts, timer changes), so a redelivered one is recognised. Thread-safe.
 */
public final class MessageStateStore {
  private final LocalStore store;

  MessageStateStore(LocalStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Stores or replaces attachment record {@code index} of message {@code guid}. */
  public void putAttachment(UUID guid, int index, byte[] info) throws StorageException {
    Objects.requireNonNull(info, "info");
    byte[] row = FieldCipher.rowId("message_attachments", "info_enc", guid.toString(), index);
    store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  INSERT INTO message_attachments (guid, idx, info_enc) VALUES (?, ?, ?)
                  ON CONFLICT (guid, idx) DO UPDATE SET info_enc = excluded.info_enc
                  """)) {
            ps.setString(1, guid.toString());
            ps.setInt(2, index);
            ps.setBytes(3, store.cipher().encrypt(info, row));
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The attachment records of message {@code guid}, in order. */
  public List<byte[]> attachments(UUID guid) throws StorageException {
    return store.transaction(
        c -> {
          List<byte[]> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT idx, info_enc FROM message_attachments WHERE guid = ? ORDER BY idx")) {
            ps.setString(1, guid.toString());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                byte[] row =
                    FieldCipher.rowId(
                        "message_attachments", "info_enc", guid.toString(), rs.getInt(1));
                out.add(store.cipher().decrypt(rs.getBytes(2), row, "message_attachments"));
              }
            }
          }
          return out;
        });
  }

  /** Stores the status code of our message {@code guid} with {@code recipient}. */
  public void putStatus(UUID guid, String recipient, int status) throws StorageException {
    Objects.requireNonNull(recipient, "recipient");
    byte[] row = FieldCipher.rowId("message_status", "status_enc", guid.toString(), recipient);
    store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  INSERT INTO message_status (guid, recipient, status_enc) VALUES (?, ?, ?)
                  ON CONFLICT (guid, recipient) DO UPDATE SET status_enc = excluded.status_enc
                  """)) {
            ps.setString(1, guid.toString());
            ps.setString(2, recipient);
            ps.setBytes(3, store.cipher().encrypt(new byte[] {(byte) status}, row));
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The status code of our message {@code guid} with {@code recipient}, if any was stored. */
  public Optional<Integer> status(UUID guid, String recipient) throws StorageException {
    byte[] row = FieldCipher.rowId("message_status", "status_enc", guid.toString(), recipient);
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT status_enc FROM message_status WHERE guid = ? AND recipient = ?")) {
            ps.setString(1, guid.toString());
            ps.setString(2, recipient);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              byte[] v = store.cipher().decrypt(rs.getBytes(1), row, "message_status");
              if (v.length != 1) {
                throw new CorruptStoreException("a stored message status is malformed");
              }
              return Optional.of((int) v[0]);
            }
          }
        });
  }

  /** Remembers that envelope {@code guid} was handled (it made no history row). */
  public void markSeen(UUID guid, Instant at) throws StorageException {
    store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO seen_envelopes (guid, seen_at) VALUES (?, ?)"
                      + " ON CONFLICT (guid) DO NOTHING")) {
            ps.setString(1, guid.toString());
            ps.setLong(2, at.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Whether {@link #markSeen} was called for {@code guid}. */
  public boolean seen(UUID guid) throws StorageException {
    return store.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT 1 FROM seen_envelopes WHERE guid = ?")) {
            ps.setString(1, guid.toString());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }
}
