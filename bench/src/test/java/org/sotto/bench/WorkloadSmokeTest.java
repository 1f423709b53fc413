package org.sotto.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every benchmark figure runs a few operations end to end (each workload checks its decrypted
 * plaintexts), so that a protocol change that breaks the benchmark fails the build, not the next
 * {@code bench/run}.
 */
class WorkloadSmokeTest {
  @ParameterizedTest
  @EnumSource(Figure.class)
  void runBatch_fewOps_completesAndTimesThem(Figure figure) throws Exception {
    SecureRandom rng = new SecureRandom();
    byte[] message = new byte[100];
    rng.nextBytes(message);
    Workload workload = figure.newWorkload(message, rng);
    Stopwatch stopwatch = new Stopwatch();
    workload.runBatch(4, stopwatch);
    workload.runBatch(4, stopwatch);
    assertTrue(stopwatch.wallNanos() > 0, "the timed section was not timed");
  }
}
