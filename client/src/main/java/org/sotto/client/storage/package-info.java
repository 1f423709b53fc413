/**
 * The client's local store: one SQLite file per local account ({@link
 * org.sotto.client.storage.LocalStore}) with the protocol's stores ({@link
 * org.sotto.client.storage.SqliteProtocolStore}), message history ({@link
 * org.sotto.client.storage.HistoryStore}) and contacts ({@link
 * org.sotto.client.storage.ContactStore}). Secrets are encrypted at rest under a data key held in a
 * separate key file, optionally wrapped by a passphrase (Argon2id).
 */
package org.sotto.client.storage;
