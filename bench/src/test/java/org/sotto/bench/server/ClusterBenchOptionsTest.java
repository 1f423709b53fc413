package org.sotto.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The options of {@code bench/run cluster}. */
class ClusterBenchOptionsTest {
  @Test
  void parse_defaults_localPostgresAndRedisAndTheServerBenchLoad() {
    ClusterBenchOptions o = ClusterBenchOptions.parse(new String[] {"--server-classpath", "a:b"});

    assertEquals(10, o.seconds());
    assertEquals(40, o.warmup());
    assertEquals(200, o.pairs());
    assertEquals("127.0.0.1", o.postgresHost());
    assertEquals(5432, o.postgresPort());
    assertEquals("postgres", o.postgresUser());
    assertEquals("127.0.0.1", o.redisHost());
    assertEquals(6379, o.redisPort());
    assertEquals("a:b", o.serverClasspath());
  }

  @Test
  void parse_bothFlagForms_takeTheirValues() {
    ClusterBenchOptions o =
        ClusterBenchOptions.parse(
            new String[] {
              "--seconds=2.5",
              "--warmup",
              "0",
              "--pairs=8",
              "--postgres",
              "db.example:6543",
              "--postgres-user=bench",
              "--redis=cache.example:7000",
              "--server-classpath=cp"
            });

    assertEquals(2.5, o.seconds());
    assertEquals(0, o.warmup());
    assertEquals(8, o.pairs());
    assertEquals("db.example", o.postgresHost());
    assertEquals(6543, o.postgresPort());
    assertEquals("bench", o.postgresUser());
    assertEquals("cache.example", o.redisHost());
    assertEquals(7000, o.redisPort());
  }

  @Test
  void parse_badInput_throwsWithTheFlagNamed() {
    String[][] bad = {
      {"--pairs", "0", "--server-classpath", "cp"},
      {"--seconds", "soon", "--server-classpath", "cp"},
      {"--postgres", "nohost", "--server-classpath", "cp"},
      {"--postgres", "h:99999", "--server-classpath", "cp"},
      {"--postgres-user", "x; DROP", "--server-classpath", "cp"},
      {"--redis", "h:port", "--server-classpath", "cp"},
      {"--figures", "relay_durable", "--server-classpath", "cp"},
      {"--seconds", "1"},
      {"--server-classpath"},
    };
    String[] named = {
      "--pairs",
      "--seconds",
      "--postgres",
      "--postgres",
      "--postgres-user",
      "--redis",
      "--figures",
      "--server-classpath",
      "--server-classpath"
    };
    for (int i = 0; i < bad.length; i++) {
      String[] args = bad[i];
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ClusterBenchOptions.parse(args));
      assertTrue(e.getMessage().contains(named[i]), e.getMessage());
    }
  }
}
