package org.sotto.bench;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Sotto's in-process protocol benchmark: the figures {@code session_setup}, {@code two_way} and
 * {@code one_way} with exactly the definitions of {@code bench/peer-libsignal/bench.mjs} (see its
 * README). Prints one JSON object on stdout, in the same shape as {@code bench.mjs} plus {@code
 * record_bytes}; progress goes to stderr.
 *
 * <pre>
 * java -cp … org.sotto.bench.ProtocolBench [--seconds 3] [--warmup 5] [--runs 3] [--figures a,b]
 * </pre>
 */
public final class ProtocolBench {
  /** Plaintext size of every message. */
  static final int MESSAGE_BYTES = 100;

  private ProtocolBench() {}

  /** Runs the benchmark; exits with 2 on bad arguments, 1 on a failure. */
  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      System.out.println(run(options));
    } catch (Exception e) {
      System.err.print("bench failed: ");
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static String run(BenchOptions options) throws Exception {
    SecureRandom rng = new SecureRandom();
    byte[] message = new byte[MESSAGE_BYTES];
    rng.nextBytes(message);
    System.err.printf(
        Locale.ROOT,
        "sotto %s in-process bench: figures=%s warmup=%ss seconds=%s runs=%d message=%dB jdk=%s%n",
        version(),
        options.figures().stream().map(Figure::key).toList(),
        options.warmup(),
        options.seconds(),
        options.runs(),
        MESSAGE_BYTES,
        Runtime.version());

    Map<Figure, Double> medians = new EnumMap<>(Figure.class);
    Map<Figure, Double> cpuMedians = new EnumMap<>(Figure.class);
    List<Map<Figure, Double>> runs = new ArrayList<>();
    for (int r = 0; r < options.runs(); r++) {
      runs.add(new EnumMap<>(Figure.class));
    }
    int recordBytes = -1;
    for (Figure figure : options.figures()) {
      if (options.warmup() > 0) {
        Measurement.measure(figure.newWorkload(message, rng), options.warmup(), figure.batchSize());
      }
      double[] perRun = new double[options.runs()];
      double[] perRunCpu = new double[options.runs()];
      for (int r = 0; r < options.runs(); r++) {
        Workload workload = figure.newWorkload(message, rng);
        Measurement m = Measurement.measure(workload, options.seconds(), figure.batchSize());
        perRun[r] = m.opsPerSecond();
        perRunCpu[r] = m.opsPerCpuSecond();
        runs.get(r).put(figure, m.opsPerSecond());
        System.err.printf(
            Locale.ROOT,
            "  %s run %d: %d ops in %.3f s = %.1f ops/s (%.1f ops per CPU second)%n",
            figure.key(),
            r + 1,
            m.ops(),
            m.nanos() / 1e9,
            m.opsPerSecond(),
            m.opsPerCpuSecond());
        if (workload instanceof ConversationWorkload c && figure == Figure.TWO_WAY) {
          recordBytes = c.aliceRecordBytes();
          System.err.printf(
              Locale.ROOT,
              "  two_way session record: Alice %d B, Bob %d B%n",
              c.aliceRecordBytes(),
              c.bobRecordBytes());
        }
      }
      medians.put(figure, median(perRun));
      cpuMedians.put(figure, median(perRunCpu));
    }
    return json(medians, cpuMedians, runs, recordBytes);
  }

  private static String json(
      Map<Figure, Double> medians,
      Map<Figure, Double> cpuMedians,
      List<Map<Figure, Double>> runs,
      int recordBytes) {
    StringBuilder out = new StringBuilder();
    out.append("{\"implementation\":\"sotto\",\"version\":\"")
        .append(version())
        .append("\",\"jdk\":\"")
        .append(Runtime.version().feature())
        .append('"');
    medians.forEach((f, v) -> out.append(",\"").append(f.key()).append("\":").append(round1(v)));
    if (recordBytes >= 0) {
      out.append(",\"record_bytes\":").append(recordBytes);
    }
    // Per CPU second of the benchmark thread: not the figure, a check on how busy the machine was.
    out.append(",\"cpu\":{");
    String sep = "";
    for (Map.Entry<Figure, Double> e : cpuMedians.entrySet()) {
      out.append(sep)
          .append('"')
          .append(e.getKey().key())
          .append("\":")
          .append(round1(e.getValue()));
      sep = ",";
    }
    out.append('}');
    out.append(",\"runs\":[");
    for (int r = 0; r < runs.size(); r++) {
      out.append(r == 0 ? "{" : ",{");
      boolean firstField = true;
      for (Map.Entry<Figure, Double> e : runs.get(r).entrySet()) {
        out.append(firstField ? "" : ",")
            .append('"')
            .append(e.getKey().key())
            .append("\":")
            .append(round1(e.getValue()));
        firstField = false;
      }
      out.append('}');
    }
    return out.append("]}").toString();
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  private static String round1(double x) {
    return String.format(Locale.ROOT, "%.1f", x);
  }

  /** The protocol module's version, from the Maven metadata in its jar. */
  private static String version() {
    try (InputStream in =
        ProtocolBench.class.getResourceAsStream(
            "/META-INF/maven/org.sotto/sotto-protocol/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }
}
