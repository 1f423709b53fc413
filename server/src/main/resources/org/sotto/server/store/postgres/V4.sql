-- Sotto server schema on PostgreSQL, version 4: cheaper sends and acks on the envelope queue, the busiest table.

-- The foreign key from envelopes to devices cost a per-row check on every insert. It is not needed: a send's group
-- transaction locks the destination device rows and stores only for devices that exist, and removing a device or
-- deleting an account deletes that device's envelopes in the same transaction (the stores do it, after the device
-- row, whose lock makes a concurrent send wait and then find the device gone).
ALTER TABLE envelopes DROP CONSTRAINT IF EXISTS envelopes_account_id_device_id_fkey;

-- A queue table: every row is inserted, then deleted within seconds. Vacuum it after a fixed number of dead rows,
-- not after a fraction of its (small) size, and without throttling, so that scans do not wade through dead rows.
-- Never truncate it: truncating takes an exclusive lock that stalls every send and ack for a moment, only to give
-- back pages the next second of traffic needs again.
ALTER TABLE envelopes SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                           autovacuum_vacuum_cost_delay = 0, autovacuum_analyze_scale_factor = 0,
                           autovacuum_analyze_threshold = 5000, vacuum_truncate = false);
