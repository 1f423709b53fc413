package org.sotto.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every server fuzz test has committed seeds, so the regression run of {@code mvn verify} feeds it
 * real inputs rather than only the empty one.
 */
class FuzzSeedsTest {
  private static final List<Class<?>> FUZZ_TESTS =
      List.of(JsonRequestFuzzTest.class, AuthenticatorFuzzTest.class, RouterFuzzTest.class);

  /** Fewer seeds than this leave the regression run close to meaningless. */
  private static final int MIN_SEEDS = 3;

  @Test
  void everyFuzzTest_hasAtLeastThreeCommittedSeeds() throws Exception {
    int fuzzTests = 0;
    for (Class<?> test : FUZZ_TESTS) {
      for (Method m : test.getDeclaredMethods()) {
        if (m.isAnnotationPresent(FuzzTest.class)) {
          fuzzTests++;
          String dir = test.getSimpleName() + "Inputs/" + m.getName();
          URL url = test.getResource(dir);
          assertTrue(url != null, dir + " is missing");
          try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            long n = files.count();
            assertTrue(n >= MIN_SEEDS, dir + " has " + n + " seeds");
          }
        }
      }
    }
    assertEquals(4, fuzzTests, "fuzz tests found; add new test classes to FUZZ_TESTS");
  }
}
