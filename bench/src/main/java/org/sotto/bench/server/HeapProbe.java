package org.sotto.bench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads another JVM's live heap with the JDK's {@code jcmd}: a full GC ({@code GC.run}, twice so
 * that objects freed by the first one's reference processing go too), then the heap's used bytes
 * from {@code GC.heap_info}. Stateless.
 */
final class HeapProbe {
  /** Time allowed for one jcmd call (a full GC of a few hundred MB takes well under a second). */
  static final long JCMD_TIMEOUT_SECONDS = 60;

  /** Full GCs before reading the heap. */
  static final int FULL_GCS = 2;

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private final Path jcmd;

  /** A probe using the {@code jcmd} next to {@code java}. */
  HeapProbe(Path java) {
    this.jcmd = java.resolveSibling("jcmd");
  }

  /** Bytes of heap in use in process {@code pid} right after full GCs. */
  long usedAfterFullGc(long pid) throws Exception {
    for (int i = 0; i < FULL_GCS; i++) {
      run(pid, "GC.run");
    }
    String info = run(pid, "GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) {
      throw new IOException("cannot read the heap size from jcmd GC.heap_info:\n" + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private String run(long pid, String command) throws Exception {
    Process p =
        new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd " + command + " did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed:\n" + text);
    }
    return text;
  }
}
