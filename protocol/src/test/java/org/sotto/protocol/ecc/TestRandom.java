package org.sotto.protocol.ecc;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Reproducible randomness for tests: a seeded SHA1PRNG whose seed is printed for replay. */
final class TestRandom {

  /** Set {@code -Dsotto.test.seed=N} to replay a failing run. */
  private static final String SEED_PROPERTY = "sotto.test.seed";

  private TestRandom() {}

  static SecureRandom create(String testName) {
    long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
    System.out.println(testName + ": -D" + SEED_PROPERTY + "=" + seed);
    try {
      SecureRandom rng = SecureRandom.getInstance("SHA1PRNG");
      rng.setSeed(seed);
      return rng;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
