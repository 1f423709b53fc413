/**
 * Safety numbers: the 60-digit number two parties read to each other, and the scannable (QR) code
 * that one scans from the other's screen, both byte-compatible with libsignal.
 *
 * <p>Start with {@link org.sotto.protocol.fingerprint.NumericFingerprintGenerator}. All public
 * types are immutable and thread-safe. Comparing a scanned code fails with a {@link
 * org.sotto.protocol.fingerprint.FingerprintException}: a code of another version or one that
 * cannot be parsed.
 */
package org.sotto.protocol.fingerprint;
