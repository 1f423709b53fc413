package org.sotto.bench;

import java.util.Arrays;

/**
 * The work of one run of one figure, on parties of its own. Not thread-safe: batches run one after
 * another.
 */
interface Workload {
  /**
   * Performs {@code ops} operations, timing exactly them with {@code stopwatch} (started and
   * stopped once). Preparation that the figure's definition excludes, such as generating bundles,
   * happens outside that section.
   */
  void runBatch(int ops, Stopwatch stopwatch) throws Exception;

  /**
   * Checks a decrypted message: always its length, and its content when {@code full} (the first op
   * of a run), as {@code bench.mjs} does.
   */
  static void check(byte[] plaintext, byte[] expected, boolean full) {
    if (plaintext.length != expected.length) {
      throw new IllegalStateException("decrypted length mismatch");
    }
    if (full && !Arrays.equals(plaintext, expected)) {
      throw new IllegalStateException("decrypted content mismatch");
    }
  }
}
