/** Key derivation: HKDF-SHA256 (RFC 5869), as every Signal key schedule uses it. Thread-safe. */
package org.sotto.protocol.kdf;
