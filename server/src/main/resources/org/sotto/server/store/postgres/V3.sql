-- Sotto server schema on PostgreSQL, version 3: what SQLite keeps outside its tables, shared here by every node.

-- Cluster-wide counters that a single SQLite server keeps in memory: 'dropped' counts envelopes dropped (queue full
-- or too old) since the database was created. Nothing about people.
CREATE TABLE store_counters (
  name  TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO store_counters (name, value) VALUES ('dropped', 0);

-- The sealed-sender keys (SQLite servers keep them as files under keys/): one row, so that every node signs sender
-- certificates with the same key under the same trust root. Secret: protect database backups accordingly.
CREATE TABLE server_keys (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  trust_root  BYTEA NOT NULL,
  server_key  BYTEA NOT NULL,
  certificate BYTEA NOT NULL
);
