package org.sotto.protocol.fingerprint;

import java.util.Objects;

/**
 * The safety number of one conversation as one side sees it: the 60 digits to read aloud (the same
 * on both sides) and the code to show as a QR code (mirrored: the other side's code lists the two
 * identities the other way round, and that is the code {@link ScannableFingerprint#compareTo}
 * accepts). Made by {@link NumericFingerprintGenerator#createFor}. Immutable and thread-safe.
 *
 * @param displayable the 60-digit form
 * @param scannable the form for a QR code
 */
public record Fingerprint(DisplayableFingerprint displayable, ScannableFingerprint scannable) {
  /** Requires both forms. */
  public Fingerprint {
    Objects.requireNonNull(displayable, "displayable");
    Objects.requireNonNull(scannable, "scannable");
  }
}
