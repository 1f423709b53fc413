-- Sotto client store, version 1. One file per local account. Columns named *_enc hold AES-256-GCM ciphertext
-- under the data key, bound to their row (FieldCipher); everything else is plain metadata needed for lookups.

-- Named values: the key check (proves the key file belongs to this database).
CREATE TABLE meta (
  name      TEXT PRIMARY KEY,
  value_enc BLOB NOT NULL
) STRICT;

-- Our identity key pair and registration id (one row).
CREATE TABLE local_identity (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  registration_id INTEGER NOT NULL,
  key_pair_enc    BLOB NOT NULL
) STRICT;

-- Identities of other devices we trust (trust on first use; replaced when the user trusts a change).
CREATE TABLE identities (
  name             TEXT NOT NULL,
  device_id        INTEGER NOT NULL,
  identity_key_enc BLOB NOT NULL,
  PRIMARY KEY (name, device_id)
) STRICT;

CREATE TABLE sessions (
  name       TEXT NOT NULL,
  device_id  INTEGER NOT NULL,
  record_enc BLOB NOT NULL,
  PRIMARY KEY (name, device_id)
) STRICT;

CREATE TABLE prekeys (
  id         INTEGER PRIMARY KEY,
  record_enc BLOB NOT NULL
) STRICT;

CREATE TABLE signed_prekeys (
  id         INTEGER PRIMARY KEY,
  record_enc BLOB NOT NULL
) STRICT;

CREATE TABLE kyber_prekeys (
  id         INTEGER PRIMARY KEY,
  record_enc BLOB NOT NULL
) STRICT;

CREATE TABLE sender_keys (
  name            TEXT NOT NULL,
  device_id       INTEGER NOT NULL,
  distribution_id TEXT NOT NULL,
  record_enc      BLOB NOT NULL,
  PRIMARY KEY (name, device_id, distribution_id)
) STRICT;

-- Message history. guid is the envelope guid: a redelivered envelope is recognised (hasSeen) and not stored twice.
CREATE TABLE messages (
  guid          TEXT PRIMARY KEY,
  conversation  TEXT NOT NULL,
  sender        TEXT NOT NULL,
  sender_device INTEGER NOT NULL,
  sent_at       INTEGER NOT NULL,
  received_at   INTEGER NOT NULL,
  body_enc      BLOB NOT NULL
) STRICT;

CREATE INDEX messages_by_conversation ON messages (conversation, sent_at);

CREATE TABLE contacts (
  account_id   TEXT PRIMARY KEY,
  handle       TEXT UNIQUE,
  profile_name_enc BLOB,
  uak_enc      BLOB
) STRICT;
