/**
 * Sealed sender v1, byte-compatible with libsignal: server and sender certificates, the sealed
 * envelope that hides a message's sender from the server, and {@link
 * org.sotto.protocol.sealed.SealedSessionCipher}, which seals and opens it.
 */
package org.sotto.protocol.sealed;
