-- Sotto client store, version 2: attachments, delivery/read status and disappearing messages.
-- As in version 1, *_enc columns are AES-256-GCM under the data key, bound to their row (FieldCipher).

-- When a message disappears (epoch millis), or NULL to keep it; plain, so expired rows can be found.
ALTER TABLE messages ADD COLUMN expires_at INTEGER;

CREATE INDEX messages_by_expiry ON messages (expires_at) WHERE expires_at IS NOT NULL;

-- The attachments of a message, in order: pointer, key and local file as one encrypted JSON value.
CREATE TABLE message_attachments (
  guid     TEXT NOT NULL,
  idx      INTEGER NOT NULL,
  info_enc BLOB NOT NULL,
  PRIMARY KEY (guid, idx)
) STRICT;

-- How far one of our sent messages got with each recipient (SENT, DELIVERED, READ), from receipts.
CREATE TABLE message_status (
  guid       TEXT NOT NULL,
  recipient  TEXT NOT NULL,
  status_enc BLOB NOT NULL,
  PRIMARY KEY (guid, recipient)
) STRICT;

-- Envelopes handled without a history row (receipts, timer changes): recognised when redelivered.
CREATE TABLE seen_envelopes (
  guid    TEXT PRIMARY KEY,
  seen_at INTEGER NOT NULL
) STRICT;
