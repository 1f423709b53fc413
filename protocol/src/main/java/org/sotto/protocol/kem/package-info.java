/**
 * Kyber-1024 (NIST round 3) as libsignal's type 0x08 uses it: BouncyCastle's ML-KEM-1024 plus the
 * round-3 key derivation {@code SHAKE256(ss ‖ SHA3-256(ciphertext), 32)}.
 *
 * <p>The public types are immutable and safe to share between threads.
 */
package org.sotto.protocol.kem;
