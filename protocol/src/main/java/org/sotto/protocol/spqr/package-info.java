/**
 * SPQR, the post-quantum ("triple") ratchet of current libsignal, built on the ML-KEM Braid: so far
 * the wire form of its per-message {@code pq_ratchet} field ({@link PqRatchetMessage}) and the
 * erasure code its values travel in ({@link ReedSolomon16}). The braid's incremental ML-KEM-768 is
 * {@link org.sotto.protocol.kem.IncrementalMlKem768}. The braid's state machine and authenticator,
 * and SPQR sessions, are still to come (issue 7).
 *
 * <p>The public types are immutable and safe to share between threads.
 */
package org.sotto.protocol.spqr;
