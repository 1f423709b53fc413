package org.sotto.protocol.fingerprint;

/**
 * A scanned safety-number code cannot be compared with ours: it is of another version ({@link
 * FingerprintVersionMismatchException}) or it is not a scannable code at all ({@link
 * FingerprintParsingException}). A code that parses but belongs to other identities is not an
 * exception: {@link ScannableFingerprint#compareTo} answers {@code false}.
 *
 * <p>A separate checked family rather than a {@code ProtocolException}: that class is sealed to its
 * own package, and a failed scan is a user-facing outcome ("ask your contact to update") rather
 * than a protocol failure. Messages never contain key material. Immutable and thread-safe.
 */
public abstract sealed class FingerprintException extends Exception
    permits FingerprintVersionMismatchException, FingerprintParsingException {
  private static final long serialVersionUID = 1L;

  FingerprintException(String message) {
    // A bad scan is routine (a blurred photo, an old app): no stack trace.
    super(message, null, false, false);
  }
}
