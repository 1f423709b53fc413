-- Sotto server schema on PostgreSQL, version 2 (as SQLite's V2): an optional device name, encrypted by the client
-- under a key derived from the account's identity key. The server stores it as an opaque blob.
ALTER TABLE devices ADD COLUMN name BYTEA;
