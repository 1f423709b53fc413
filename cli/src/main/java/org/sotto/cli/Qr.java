package org.sotto.cli;

import io.nayuki.qrcodegen.DataTooLongException;
import io.nayuki.qrcodegen.QrCode;

/**
 * Renders a QR code in the terminal with Unicode half blocks: each character shows two module rows
 * (upper and lower half), so the code stays square in a typical terminal font. Light modules are
 * drawn (as the foreground) and dark modules left blank, which shows the usual dark-on-light code
 * on a terminal with a dark background; the quiet zone around it is light. Stateless.
 */
final class Qr {
  /**
   * Light modules around the code: the QR standard asks for 4, and scanners find the code less
   * reliably with less.
   */
  static final int QUIET_ZONE = 4;

  /** Both halves light. */
  static final char FULL = '\u2588';

  /** Upper half light, lower half dark. */
  static final char UPPER = '\u2580';

  /** Lower half light, upper half dark. */
  static final char LOWER = '\u2584';

  /** Both halves dark. */
  static final char EMPTY = ' ';

  private Qr() {}

  /**
   * The QR code of {@code text} (error correction level L, raised when it fits at no cost).
   *
   * @throws IllegalArgumentException the text is too long for any QR code
   */
  static QrCode encode(String text) {
    try {
      return QrCode.encodeText(text, QrCode.Ecc.LOW);
    } catch (DataTooLongException e) {
      throw new IllegalArgumentException("text too long for a QR code", e);
    }
  }

  /** The QR code of {@code text} as terminal lines (no trailing newline on the last line). */
  static String render(String text) {
    return render(encode(text));
  }

  /** {@code qr} as terminal lines with the quiet zone, two module rows per line. */
  static String render(QrCode qr) {
    int size = qr.size + 2 * QUIET_ZONE;
    StringBuilder out = new StringBuilder((size + 1) * ((size + 1) / 2));
    for (int y = 0; y < size; y += 2) {
      if (y > 0) {
        out.append('\n');
      }
      for (int x = 0; x < size; x++) {
        boolean upperLight = !dark(qr, x, y);
        // Below the last row (an odd count) is the terminal, shown light like the quiet zone.
        boolean lowerLight = y + 1 >= size || !dark(qr, x, y + 1);
        out.append(upperLight ? (lowerLight ? FULL : UPPER) : (lowerLight ? LOWER : EMPTY));
      }
    }
    return out.toString();
  }

  /** Whether the module at {@code (x, y)} of the code with its quiet zone is dark. */
  private static boolean dark(QrCode qr, int x, int y) {
    // getModule returns false (light) outside the code, which is the quiet zone.
    return qr.getModule(x - QUIET_ZONE, y - QUIET_ZONE);
  }
}
