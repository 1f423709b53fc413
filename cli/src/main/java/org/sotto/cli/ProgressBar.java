package org.sotto.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sotto.client.TransferListener;

/**
 * A one-line upload progress bar on standard error, redrawn in place with a carriage return; drawn
 * only when standard error is a terminal (a log file or pipe gets no bar). Not thread-safe: the SDK
 * reports progress from the sending thread.
 */
final class ProgressBar implements TransferListener {
  /** Characters of the bar itself: fits an 80-column terminal with the numbers. */
  static final int WIDTH = 30;

  private static final double MIB = 1024.0 * 1024.0;

  private final PrintWriter err;
  private final boolean enabled;
  private int lastPercent = -1;
  private Path lastFile;
  private boolean drawn;

  ProgressBar(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /**
   * Whether this process's standard error is a terminal. Java 21 cannot ask about standard error
   * directly, so on Linux this looks where file descriptor 2 points; elsewhere it uses whether the
   * process has a console at all.
   */
  static boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    if (Files.exists(fd, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        String target = Files.readSymbolicLink(fd).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return System.console() != null;
  }

  @Override
  public void onProgress(Path file, long done, long total) {
    if (!enabled || total <= 0) {
      return;
    }
    int percent = (int) Math.min(100, done * 100 / total);
    if (percent == lastPercent && file.equals(lastFile)) {
      return;
    }
    lastPercent = percent;
    lastFile = file;
    int filled = percent * WIDTH / 100;
    Path name = file.getFileName();
    err.printf(
        "\r[%s%s] %3d%% %.1f/%.1f MiB %s",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        percent,
        done / MIB,
        total / MIB,
        name == null ? "" : name);
    err.flush();
    drawn = true;
  }

  /** Ends the bar's line, if one was drawn. */
  void finish() {
    if (drawn) {
      err.println();
      err.flush();
      drawn = false;
    }
  }
}
