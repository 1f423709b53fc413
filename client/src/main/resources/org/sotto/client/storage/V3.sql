-- Sotto client store, version 3: the profile key each contact shared with us (in the Content of its messages),
-- encrypted under the data key and bound to its row like the other *_enc columns. NULL until the contact sends one;
-- stores from earlier versions simply have no keys yet.
ALTER TABLE contacts ADD COLUMN profile_key_enc BLOB;
