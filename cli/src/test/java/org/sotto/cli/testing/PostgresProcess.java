package org.sotto.cli.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.sotto.server.testing.TestServer;

/**
 * A private PostgreSQL server for tests that stop or restart it: {@code initdb} into a fresh temp
 * folder owned by the {@value #OS_USER} user (the server refuses to run as root), started with
 * {@code pg_ctl} on a free port of 127.0.0.1 with trust authentication for the superuser {@value
 * #SUPERUSER}. {@link #close()} stops it and deletes the folder. Fails the test with a clear
 * message when the server binaries are missing. Not thread-safe.
 */
public final class PostgresProcess implements AutoCloseable {
  /** Where Debian's postgresql packages put one {@code VERSION/bin} folder per major version. */
  public static final Path INSTALL_ROOT = Path.of("/usr/lib/postgresql");

  /** The operating-system user the server runs as: PostgreSQL refuses to run as root. */
  public static final String OS_USER = "postgres";

  /** The database superuser created by initdb (trust authentication, no password). */
  public static final String SUPERUSER = "postgres";

  /** Time allowed for initdb (it writes a few MB and runs bootstrap SQL). */
  static final Duration INIT_TIMEOUT = Duration.ofSeconds(120);

  /**
   * Time allowed for pg_ctl start, stop or restart; they wait until the server is ready or gone.
   */
  static final Duration CTL_TIMEOUT = Duration.ofSeconds(60);

  /** Lines of the server log quoted in a failure message. */
  static final int LOG_TAIL_LINES = 30;

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private boolean running;

  private PostgresProcess(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /** Creates a cluster in a temp folder and starts it on a free port. */
  public static PostgresProcess launch() throws IOException {
    Path bin = binDir();
    Path dir = Files.createTempDirectory("sotto-pg");
    try {
      if (!isOsUser()) {
        UserPrincipal owner =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
        Files.setOwner(dir, owner);
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      TestServer.deleteTree(dir);
      throw new AssertionError(
          "cannot give a temp folder to the '" + OS_USER + "' user: " + e.getMessage(), e);
    }
    PostgresProcess pg = new PostgresProcess(bin, dir, Commands.freePort());
    try {
      pg.asOsUser(
          INIT_TIMEOUT,
          bin.resolve("initdb").toString(),
          "-D",
          pg.data.toString(),
          "-U",
          SUPERUSER,
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-sync"); // a test cluster need not survive a power cut
      pg.start();
      return pg;
    } catch (RuntimeException | Error e) {
      pg.close();
      throw e;
    }
  }

  /**
   * The {@code bin} folder of the newest PostgreSQL under {@link #INSTALL_ROOT}; fails the test
   * when there is none.
   */
  public static Path binDir() {
    List<Path> versions = new ArrayList<>();
    if (Files.isDirectory(INSTALL_ROOT)) {
      try (Stream<Path> s = Files.list(INSTALL_ROOT)) {
        s.filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
            .filter(p -> Files.isExecutable(p.resolve("bin").resolve("initdb")))
            .filter(p -> Files.isExecutable(p.resolve("bin").resolve("pg_ctl")))
            .forEach(versions::add);
      } catch (IOException e) {
        throw new AssertionError("cannot list " + INSTALL_ROOT + ": " + e.getMessage(), e);
      }
    }
    if (versions.isEmpty()) {
      throw new AssertionError(
          "no PostgreSQL server binaries (initdb, pg_ctl) under "
              + INSTALL_ROOT
              + "/VERSION/bin; install the postgresql package");
    }
    versions.sort(
        Comparator.comparingDouble((Path p) -> Double.parseDouble(p.getFileName().toString())));
    return versions.get(versions.size() - 1).resolve("bin");
  }

  /** Starts the stopped server on its port; returns once it accepts connections. */
  public void start() {
    ctl(
        "start",
        "-l",
        dir.resolve("server.log").toString(),
        "-o",
        // Loopback TCP only, the Unix socket in the private folder (no clash with a system
        // server); fsync off: the tests stop the server cleanly, never the machine.
        "-p " + port + " -h 127.0.0.1 -k " + dir + " -c fsync=off");
    running = true;
  }

  /** Stops the server (fast: open sessions are ended, committed work is kept). */
  public void stop() {
    ctl("stop", "-m", "fast");
    running = false;
  }

  /** Stops and starts the server on the same port, as an operator's restart does. */
  public void restart() {
    stop();
    start();
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Whether the server was started and not stopped since. */
  public boolean running() {
    return running;
  }

  /** The end of the server's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("server.log"));
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no server log)";
    }
  }

  private void ctl(String action, String... args) {
    List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), action));
    cmd.addAll(List.of("-D", data.toString(), "-w", "-t", Long.toString(CTL_TIMEOUT.toSeconds())));
    cmd.addAll(List.of(args));
    asOsUser(CTL_TIMEOUT.plusSeconds(10), cmd.toArray(String[]::new));
  }

  private void asOsUser(Duration timeout, String... command) {
    List<String> cmd = new ArrayList<>();
    if (!isOsUser()) {
      cmd.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    cmd.addAll(List.of(command));
    // In the private folder: the server's user may not enter the test's working folder.
    Commands.run(timeout, dir, cmd);
  }

  private static boolean isOsUser() {
    return OS_USER.equals(System.getProperty("user.name"));
  }

  /** Stops the server (immediately) if it runs and deletes its folder. */
  @Override
  public void close() {
    try {
      if (running || Files.exists(data.resolve("postmaster.pid"))) {
        ctl("stop", "-m", "immediate");
        running = false;
      }
    } finally {
      try {
        TestServer.deleteTree(dir);
      } catch (IOException e) {
        // The temp folder stays; the next test does not depend on it.
      }
    }
  }
}
