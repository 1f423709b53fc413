package org.sotto.protocol.fingerprint;

/**
 * The scanned code is of another version than ours, so the two cannot be compared: typically one of
 * the two apps is out of date. Checked before anything else in the code, as libsignal does.
 * Immutable and thread-safe.
 */
public final class FingerprintVersionMismatchException extends FingerprintException {
  private static final long serialVersionUID = 1L;

  private final long theirVersion;
  private final long ourVersion;

  FingerprintVersionMismatchException(long theirVersion, long ourVersion) {
    super("scanned fingerprint has version " + theirVersion + ", ours is " + ourVersion);
    this.theirVersion = theirVersion;
    this.ourVersion = ourVersion;
  }

  /** The version in the scanned code: an unsigned 32-bit value, 0 when the field was absent. */
  public long theirVersion() {
    return theirVersion;
  }

  /** The version of the code we compared it with. */
  public long ourVersion() {
    return ourVersion;
  }
}
