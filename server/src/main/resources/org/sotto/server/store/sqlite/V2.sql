-- Sotto server schema, version 2: an optional device name, encrypted by the client under a key derived from the
-- account's identity key (which only the account's devices hold). The server stores it as an opaque blob and hands
-- it back in the device list; it cannot read it. Null for devices that gave none (the primary, older clients).
ALTER TABLE devices ADD COLUMN name BLOB;
