package org.sotto.bench.server;

import java.util.Locale;

/** Progress lines on stderr (stdout carries only results). Thread-safe. */
final class Progress {
  private Progress() {}

  /** Prints one formatted line to stderr. */
  static void log(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }
}
