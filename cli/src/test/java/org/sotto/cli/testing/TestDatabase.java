package org.sotto.cli.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * A randomly named database on a {@link PostgresProcess}, a private server that the test may stop
 * (databases on the machine's shared server come from the server module's {@code
 * PostgresTestDatabase}), dropped on {@link #close()}. Talks to the server through the {@code psql}
 * of the same installation as the server binaries, as the trust-authenticated superuser {@value
 * #USER}, and runs any statement in the database ({@link #query}); fails the test with a clear
 * message when the server does not answer. Not thread-safe.
 */
public final class TestDatabase implements AutoCloseable {
  /** The superuser the tests connect as (trust authentication: no password). */
  public static final String USER = "postgres";

  /** Time allowed for one psql command (creating a database copies template1). */
  static final Duration PSQL_TIMEOUT = Duration.ofSeconds(60);

  /** Seconds psql waits for a connection before failing (the server is local). */
  static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** Random bytes in a database name: two test runs at once never pick the same one. */
  static final int NAME_RANDOM_BYTES = 6;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String host;
  private final int port;
  private final String name;

  private TestDatabase(String host, int port, String name) {
    this.host = host;
    this.port = port;
    this.name = name;
  }

  /** A new database on the PostgreSQL at {@code host:port}. */
  public static TestDatabase create(String host, int port, String purpose) {
    String name =
        "sotto_"
            + purpose.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_")
            + "_"
            + HexFormat.of().formatHex(randomBytes());
    try {
      psql(host, port, "CREATE DATABASE " + name);
    } catch (AssertionError e) {
      throw new AssertionError(
          "cannot create a test database on the PostgreSQL at "
              + host
              + ":"
              + port
              + " (user "
              + USER
              + ", trust authentication); start PostgreSQL there: "
              + e.getMessage(),
          e);
    }
    return new TestDatabase(host, port, name);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[NAME_RANDOM_BYTES];
    RANDOM.nextBytes(b);
    return b;
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /** The URL a server is given with {@code --db}. */
  public String url() {
    return "postgresql://" + host + ":" + port + "/" + name;
  }

  /** The {@code sotto server} arguments that put a node's data in this database. */
  public List<String> serverArgs() {
    return List.of("--db", url(), "--db-user", USER);
  }

  /** Runs {@code sql} in this database and returns psql's unaligned, tuples-only output. */
  public String query(String sql) {
    return psqlIn(host, port, name, sql);
  }

  /** Drops the database, ending its open sessions first. */
  @Override
  public void close() {
    psql(host, port, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static String psql(String host, int port, String sql) {
    return psqlIn(host, port, "postgres", sql);
  }

  private static String psqlIn(String host, int port, String db, String sql) {
    String conninfo =
        "host="
            + host
            + " port="
            + port
            + " user="
            + USER
            + " dbname="
            + db
            + " connect_timeout="
            + CONNECT_TIMEOUT_SECONDS;
    return Commands.run(
        PSQL_TIMEOUT,
        List.of(
            psqlBinary(),
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            conninfo,
            "-c",
            sql));
  }

  /** psql next to the newest server binaries, else the one on the PATH. */
  private static String psqlBinary() {
    try {
      Path p = PostgresProcess.binDir().resolve("psql");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    } catch (AssertionError e) {
      // No server binaries here: the client alone may be installed.
    }
    return "psql";
  }
}
