package org.sotto.protocol.sealed;

/**
 * What a recipient should do when it cannot decrypt a sealed message (libsignal's {@code
 * ContentHint}). The set is open: a value this version does not know is kept as it is. Immutable
 * and thread-safe.
 *
 * @param value the wire value, an unsigned 32-bit number
 */
public record ContentHint(int value) {
  /** The sender will not resend: show an error at once. Not written on the wire. */
  public static final ContentHint DEFAULT = new ContentHint(0);

  /** The sender will try to resend: delay any error. */
  public static final ContentHint RESENDABLE = new ContentHint(1);

  /** Sent implicitly (a receipt, a typing indicator): show no error at all. */
  public static final ContentHint IMPLICIT = new ContentHint(2);

  @Override
  public String toString() {
    return switch (value) {
      case 0 -> "ContentHint[DEFAULT]";
      case 1 -> "ContentHint[RESENDABLE]";
      case 2 -> "ContentHint[IMPLICIT]";
      default -> "ContentHint[" + Integer.toUnsignedString(value) + "]";
    };
  }
}
