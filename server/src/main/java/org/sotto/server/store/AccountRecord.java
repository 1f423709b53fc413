package org.sotto.server.store;

import org.sotto.api.AccountId;

/**
 * An account as stored: id, optional lower-case handle, identity public key, creation and last-seen
 * days (days since 1970-01-01 UTC; the server keeps no finer times about people). Immutable.
 */
public record AccountRecord(
    AccountId id, String handle, byte[] identityKey, long createdDay, long lastSeenDay) {}
