/**
 * Curve25519 keys as Signal uses them: X25519 agreement and XEdDSA signatures (libsignal variant).
 *
 * <p>The public types are immutable and safe to share between threads. Point arithmetic, X25519 and
 * Ed25519 come from BouncyCastle; this package holds only the key encodings and the XEdDSA
 * construction on top of them.
 */
package org.sotto.protocol.ecc;
