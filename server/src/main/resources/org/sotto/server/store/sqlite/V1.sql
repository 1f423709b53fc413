-- Sotto server schema, version 1. Every column is listed in DataInventory (server tests): a column that is not
-- classified there fails the build, so nothing is stored that disclosure would not account for.

-- One row per account. Only these facts about a person exist: the random id, an optional public handle, the
-- creation day and the last-seen day (days, not times), and what the account itself published.
CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  handle        TEXT UNIQUE,
  identity_key  BLOB NOT NULL,
  created_day   INTEGER NOT NULL,
  last_seen_day INTEGER NOT NULL,
  uak           BLOB,
  profile       BLOB
) STRICT;

-- One row per device: registration id, the salted hash of its secret, its current signed prekeys, and how many
-- of its envelopes were dropped (queue full or too old) since it last connected.
CREATE TABLE devices (
  account_id         TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  device_id          INTEGER NOT NULL,
  registration_id    INTEGER NOT NULL,
  secret_salt        BLOB NOT NULL,
  secret_hash        BLOB NOT NULL,
  signed_id          INTEGER NOT NULL,
  signed_key         BLOB NOT NULL,
  signed_sig         BLOB NOT NULL,
  last_resort_id     INTEGER NOT NULL,
  last_resort_key    BLOB NOT NULL,
  last_resort_sig    BLOB NOT NULL,
  dropped            INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, device_id)
) STRICT;

-- One-time prekeys, consumed when a bundle is fetched.
CREATE TABLE ec_prekeys (
  account_id TEXT NOT NULL,
  device_id  INTEGER NOT NULL,
  key_id     INTEGER NOT NULL,
  public_key BLOB NOT NULL,
  PRIMARY KEY (account_id, device_id, key_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE kyber_prekeys (
  account_id TEXT NOT NULL,
  device_id  INTEGER NOT NULL,
  key_id     INTEGER NOT NULL,
  public_key BLOB NOT NULL,
  signature  BLOB NOT NULL,
  PRIMARY KEY (account_id, device_id, key_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
) STRICT;

-- Queued envelopes (ciphertext), deleted when the destination device acks them or after 30 days.
CREATE TABLE envelopes (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id     TEXT NOT NULL,
  device_id      INTEGER NOT NULL,
  guid           BLOB NOT NULL UNIQUE,
  type           INTEGER NOT NULL,
  source_account TEXT,
  source_device  INTEGER,
  client_ts      INTEGER NOT NULL,
  server_ts      INTEGER NOT NULL,
  content        BLOB NOT NULL,
  FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX envelopes_by_device ON envelopes(account_id, device_id, seq);
CREATE INDEX envelopes_by_age ON envelopes(server_ts);

-- Attachment uploads (the bytes are files under attachments/). Not linked to any account.
CREATE TABLE attachments (
  id          TEXT PRIMARY KEY,
  length      INTEGER NOT NULL,
  received    INTEGER NOT NULL,
  created_ms  INTEGER NOT NULL
) STRICT;

-- Operator-issued invite codes (hashed), each usable once.
CREATE TABLE invites (
  code_hash  BLOB PRIMARY KEY,
  created_ms INTEGER NOT NULL
) STRICT;

-- Short-lived device-linking codes (hashed).
CREATE TABLE provisioning_codes (
  code_hash  BLOB PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  expires_ms INTEGER NOT NULL
) STRICT;
