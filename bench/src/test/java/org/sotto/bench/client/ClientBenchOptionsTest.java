package org.sotto.bench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The options of {@code bench/run client} and the lines it prints. */
class ClientBenchOptionsTest {
  @Test
  void parse_defaults_allFiguresFiveRuns() {
    ClientBenchOptions o = ClientBenchOptions.parse(new String[] {"--server-classpath", "a:b"});

    assertEquals(5, o.runs());
    assertEquals(10, o.seconds());
    assertEquals(ClientBenchOptions.DEFAULT_WARMUP, o.warmup());
    assertEquals(90, o.warmup());
    assertEquals("a:b", o.serverClasspath());
    assertEquals(Set.of("cli_first_message", "sdk_end_to_end"), o.figures());
  }

  @Test
  void parse_sdkContacts_onlyWhenNamed() {
    ClientBenchOptions named =
        ClientBenchOptions.parse(
            new String[] {"--server-classpath", "cp", "--figures", "sdk_end_to_end,sdk_contacts"});

    assertTrue(named.wants("sdk_contacts"));
    assertTrue(named.wants("sdk_end_to_end"));
    assertFalse(
        ClientBenchOptions.parse(new String[] {"--server-classpath", "cp"}).wants("sdk_contacts"));
  }

  @Test
  void parse_bothFlagForms_takeTheirValues() {
    ClientBenchOptions o =
        ClientBenchOptions.parse(
            new String[] {
              "--runs=7",
              "--seconds",
              "2.5",
              "--warmup=0",
              "--server-classpath=cp",
              "--figures",
              "sdk_end_to_end"
            });

    assertEquals(7, o.runs());
    assertEquals(2.5, o.seconds());
    assertEquals(0, o.warmup());
    assertTrue(o.wants("sdk_end_to_end"));
    assertFalse(o.wants("cli_first_message"));
  }

  @Test
  void parse_launcher_isKeptAndOptional() {
    assertEquals(
        "/opt/sotto/sotto",
        ClientBenchOptions.parse(
                new String[] {"--server-classpath", "a", "--launcher=/opt/sotto/sotto"})
            .launcherOrNull());
    assertEquals(
        null, ClientBenchOptions.parse(new String[] {"--server-classpath", "a"}).launcherOrNull());
  }

  @Test
  void parse_badInput_throwsWithTheFlagNamed() {
    String[][] bad = {
      {"--runs", "0", "--server-classpath", "cp"},
      {"--runs", "many", "--server-classpath", "cp"},
      {"--seconds", "0", "--server-classpath", "cp"},
      {"--warmup", "-1", "--server-classpath", "cp"},
      {"--figures", "nope", "--server-classpath", "cp"},
      {"--figures", ",", "--server-classpath", "cp"},
      {"--pairs", "3", "--server-classpath", "cp"},
      {"--server-classpath"},
      {"--runs", "3"},
    };
    for (String[] args : bad) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> ClientBenchOptions.parse(args),
              String.join(" ", args));
      assertTrue(
          e.getMessage().startsWith("--") || e.getMessage().startsWith("unknown"), e.getMessage());
    }
  }

  @Test
  void runStats_oddAndEvenCounts_medianMinMaxAndLine() {
    RunStats odd = RunStats.of(900, 1200.4, 700, 1000, 2500);
    RunStats even = RunStats.of(4, 1, 3, 2);

    assertEquals(new RunStats(1000, 700, 2500, 5, Double.NaN), odd);
    assertEquals(2.5, even.median());
    assertEquals(
        "figure=cli_first_message ms=1000 runs=5 min=700 max=2500", odd.line("cli_first_message"));
    assertEquals(
        "figure=cli_first_message ms=3 runs=4 min=1 max=4 cpu_ms=812",
        even.withCpu(811.6).line("cli_first_message"));
    assertThrows(IllegalArgumentException.class, RunStats::of);
  }

  @Test
  void rateLine_roundsRatesAndPrintsTheRatio() {
    assertEquals(
        "figure=sdk_end_to_end sotto=1235/s baseline=2000/s ratio=0.62",
        RunStats.rateLine("sdk_end_to_end", 1234.6, 2000));
  }
}
