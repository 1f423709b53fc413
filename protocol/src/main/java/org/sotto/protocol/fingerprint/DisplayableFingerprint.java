package org.sotto.protocol.fingerprint;

/**
 * The 60 digits of a safety number: 30 derived from each side's identity, the smaller half first,
 * so both sides show the same string whoever computes it. Immutable and thread-safe.
 *
 * <p>{@link #toString()} does not print the digits: they identify a pair of accounts and have no
 * place in logs. Show {@link #getDisplayText()} to the user instead.
 */
public final class DisplayableFingerprint {
  /** Digits derived from one side's identity. */
  public static final int DIGITS_PER_SIDE = 30;

  /** Length of {@link #getDisplayText()}: both sides' digits. */
  public static final int DISPLAY_LENGTH = 2 * DIGITS_PER_SIDE;

  private final String displayText;

  DisplayableFingerprint(String localDigits, String remoteDigits) {
    if (localDigits.length() != DIGITS_PER_SIDE || remoteDigits.length() != DIGITS_PER_SIDE) {
      throw new IllegalArgumentException(DIGITS_PER_SIDE + " digits per side expected");
    }
    // Equal-length digit strings: string order is numeric order.
    this.displayText =
        localDigits.compareTo(remoteDigits) <= 0
            ? localDigits + remoteDigits
            : remoteDigits + localDigits;
  }

  /** The {@value #DISPLAY_LENGTH} ASCII digits, the same on both sides of the conversation. */
  public String getDisplayText() {
    return displayText;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DisplayableFingerprint other && displayText.equals(other.displayText);
  }

  @Override
  public int hashCode() {
    return displayText.hashCode();
  }

  @Override
  public String toString() {
    return "DisplayableFingerprint[" + DISPLAY_LENGTH + " digits]";
  }
}
