package org.sotto.protocol.fingerprint;

/**
 * The scanned bytes are not a scannable safety-number code: not a valid protobuf, a known field of
 * the wrong type, or a side's digest missing. Immutable and thread-safe.
 */
public final class FingerprintParsingException extends FingerprintException {
  private static final long serialVersionUID = 1L;

  FingerprintParsingException(String message) {
    super(message);
  }
}
