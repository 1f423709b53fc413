/**
 * SPQR, the post-quantum ("triple") ratchet of current libsignal, built on the ML-KEM Braid
 * (docs/spqr.md): {@link org.sotto.protocol.spqr.PqRatchet} sends and takes in each message's
 * {@code pq_ratchet} field ({@link org.sotto.protocol.spqr.PqRatchetMessage}) and yields the key
 * that salts its message keys; inside, a symmetric chain per epoch and direction, the braid's state
 * machine and authenticator, and the erasure code its values travel in ({@link
 * org.sotto.protocol.spqr.ReedSolomon16}). The braid's incremental ML-KEM-768 is {@link
 * org.sotto.protocol.kem.IncrementalMlKem768}.
 *
 * <p>The public types are immutable and safe to share between threads; {@code PqRatchet}'s
 * functions work on the caller's record builder, which is not.
 */
package org.sotto.protocol.spqr;
