package org.sotto.server.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.server.store.StoreException;

/**
 * A PostgreSQL database shared by every node of a cluster: a HikariCP pool over the PostgreSQL JDBC
 * driver. {@link #open} waits a bounded time for the database to come up, then applies pending
 * migrations under an advisory lock (several nodes starting at once migrate exactly once).
 *
 * <p>Every {@link SQLException} leaves this class as a {@link StoreException} (HTTP 503); the pool
 * drops broken connections and makes new ones, so the server recovers by itself when PostgreSQL
 * comes back. The password is held by the pool only and never appears in messages or logs.
 * Thread-safe.
 */
public final class PostgresDatabase implements AutoCloseable {
  /** One unit of work on a pooled connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs on {@code connection}; must not commit, roll back or close it. */
    T run(Connection connection) throws SQLException;
  }

  /**
   * Connections per node: group commits and a few concurrent reads per core keep PostgreSQL busy
   * without exhausting its default {@code max_connections} (100) with a handful of nodes.
   */
  static final int POOL_SIZE = 16;

  /**
   * How long a request waits for a connection before failing with 503: long enough to ride out a
   * brief spike, short enough that clients see an error instead of a hung request while PostgreSQL
   * is down.
   */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /**
   * A statement that runs longer than this is cut (seconds): nothing the server asks should take
   * that long, and a hung socket must not hold a request forever.
   */
  static final int SOCKET_TIMEOUT_S = 60;

  /**
   * How long {@link #open} waits for PostgreSQL to accept connections: containers and services
   * often start together and the database may come up a little later.
   */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  /** Pause between connection attempts while starting. */
  static final Duration START_RETRY_PAUSE = Duration.ofMillis(500);

  /** Serialization failures and deadlocks are retried this many times before failing. */
  static final int MAX_RETRIES = 3;

  private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

  private final HikariDataSource pool;
  private final String where;
  private final int migrationsApplied;

  private PostgresDatabase(HikariDataSource pool, String where, int migrationsApplied) {
    this.pool = pool;
    this.where = where;
    this.migrationsApplied = migrationsApplied;
  }

  /** Opens with the {@link #DEFAULT_START_TIMEOUT}. */
  public static PostgresDatabase open(String url, String user, String password) {
    return open(url, user, password, DEFAULT_START_TIMEOUT);
  }

  /**
   * Connects to {@code url} ({@code postgresql://HOST:PORT/DB} or {@code
   * jdbc:postgresql://HOST:PORT/DB}), waiting up to {@code startTimeout} for the server to accept
   * connections, and applies pending migrations.
   *
   * @param user the database user, or null for the driver's default
   * @param password the password, or null (trust or peer authentication)
   * @throws IllegalArgumentException the URL is not a PostgreSQL URL, or holds a password
   * @throws PostgresUnreachableException no connection within {@code startTimeout}
   * @throws StoreException the server refused us (login, missing database, newer schema)
   */
  public static PostgresDatabase open(
      String url, String user, String password, Duration startTimeout) {
    Target target = Target.parse(url);
    HikariConfig config = new HikariConfig();
    config.setPoolName("sotto-postgres");
    config.setJdbcUrl(target.jdbcUrl());
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(POOL_SIZE);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setValidationTimeout(Math.min(CONNECTION_TIMEOUT.toMillis(), 2_000));
    // Start without a connection: open() retries below with a message naming host:port.
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("connectTimeout", (int) CONNECTION_TIMEOUT.toSeconds());
    config.addDataSourceProperty("socketTimeout", SOCKET_TIMEOUT_S);
    config.addDataSourceProperty("tcpKeepAlive", true);
    config.addDataSourceProperty("ApplicationName", "sotto-server");
    HikariDataSource pool = new HikariDataSource(config);
    try {
      int applied = migrate(pool, target, startTimeout);
      return new PostgresDatabase(pool, target.where(), applied);
    } catch (RuntimeException | Error e) {
      pool.close();
      throw e;
    }
  }

  private static int migrate(HikariDataSource pool, Target target, Duration startTimeout) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      try (Connection c = pool.getConnection()) {
        int applied = PostgresMigrations.apply(c);
        if (applied > 0) {
          log.info("applied {} PostgreSQL migration(s) on {}", applied, target.where());
        }
        return applied;
      } catch (SQLException e) {
        if (!isConnectionFailure(e)) {
          throw new StoreException(
              "cannot use the PostgreSQL database at " + target.where() + ": " + reason(e), e);
        }
        if (System.nanoTime() > deadline) {
          throw new PostgresUnreachableException(target.where(), startTimeout, e);
        }
        log.info("waiting for PostgreSQL at {}", target.where());
        try {
          Thread.sleep(START_RETRY_PAUSE.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new PostgresUnreachableException(target.where(), startTimeout, e);
        }
      }
    }
  }

  /** Where the database is ({@code host:port/db}), for messages; never credentials. */
  public String where() {
    return where;
  }

  /** How many migrations this opener applied (0 when another node or an earlier start did). */
  public int migrationsApplied() {
    return migrationsApplied;
  }

  /**
   * This database for the stores shared with SQLite: reads in auto-commit mode, writes in one
   * transaction each.
   */
  public org.sotto.server.store.jdbc.Sql sql() {
    PostgresDatabase db = this;
    return new org.sotto.server.store.jdbc.Sql() {
      @Override
      public <T> T read(Work<T> work) {
        return db.autoCommit(work::run);
      }

      @Override
      public <T> T write(Work<T> work) {
        return db.transaction(work::run);
      }
    };
  }

  /**
   * Runs {@code work} on a connection in auto-commit mode: each statement is its own transaction.
   */
  public <T> T autoCommit(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /**
   * Runs {@code work} in one transaction and commits; rolls back on any exception, which is
   * rethrown (SQL failures as {@link StoreException}). Serialization failures and deadlocks are
   * retried up to {@link #MAX_RETRIES} times, so {@code work} must be safe to run again.
   */
  public <T> T transaction(Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException | Error e) {
          rollbackQuietly(c);
          throw e;
        }
        // Closing hands the connection back; the pool restores auto-commit.
      } catch (SQLException e) {
        if (isRetryable(e) && attempt < MAX_RETRIES) {
          continue;
        }
        throw failure("write", e);
      }
    }
  }

  /** A pooled connection for the group writer, in auto-commit mode; the caller closes it. */
  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // A broken connection: the pool discards it; the caller reports the original failure.
    }
  }

  /** The SQL failure as a {@link StoreException} whose message names the operation only. */
  StoreException failure(String what, SQLException e) {
    String kind = isConnectionFailure(e) ? "PostgreSQL unavailable" : "PostgreSQL " + what;
    return new StoreException(kind + " failed (" + state(e) + ") at " + where, e);
  }

  /** Whether the failure is about reaching the server (class 08, shutdown, pool timeout). */
  static boolean isConnectionFailure(SQLException e) {
    // When the server itself answered (a failed login, a missing database), its SQLState decides,
    // whatever the pool wrapped around it.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.postgresql.util.PSQLException p
          && p.getServerErrorMessage() != null
          && p.getSQLState() != null) {
        return isConnectionState(p.getSQLState());
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        if (isConnectionState(s.getSQLState())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Connection exceptions (08), operator intervention such as a restart (57P), too many clients.
   */
  private static boolean isConnectionState(String state) {
    return state.startsWith("08") || state.startsWith("57P") || state.equals("53300");
  }

  /** Serialization failure or deadlock: running the transaction again may succeed. */
  static boolean isRetryable(SQLException e) {
    return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }

  /** Whether the failure is a constraint violation (SQLState class 23). */
  static boolean isConstraintViolation(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }

  private static String state(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return "SQLState " + s.getSQLState();
      }
    }
    return e.getClass().getSimpleName();
  }

  /** The server's reason (for example a failed login or a missing database), without values. */
  private static String reason(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
        return p.getServerErrorMessage().getMessage() + " (" + p.getSQLState() + ")";
      }
    }
    return state(e);
  }

  @Override
  public void close() {
    pool.close();
  }

  /** A parsed database URL: the JDBC form and {@code host:port/db} for messages. */
  record Target(String jdbcUrl, String where) {
    /** Default PostgreSQL port. */
    static final int DEFAULT_PORT = 5432;

    static Target parse(String url) {
      if (url == null) {
        throw new IllegalArgumentException("--db is missing");
      }
      String rest;
      if (url.startsWith("jdbc:postgresql://")) {
        rest = url.substring("jdbc:".length());
      } else if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
        rest = "postgresql://" + url.substring(url.indexOf("://") + 3);
      } else {
        throw new IllegalArgumentException("--db must look like postgresql://HOST:PORT/DB");
      }
      URI uri;
      try {
        uri = new URI(rest);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--db must look like postgresql://HOST:PORT/DB");
      }
      String query = uri.getRawQuery();
      if (uri.getRawUserInfo() != null
          || (query != null && query.toLowerCase(java.util.Locale.ROOT).contains("password"))) {
        // Passwords in URLs end up in shell history and process lists.
        throw new IllegalArgumentException(
            "--db must not contain credentials: use --db-user and --db-password-file");
      }
      String host = uri.getHost();
      String path = uri.getPath();
      if (host == null || path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
        throw new IllegalArgumentException("--db must look like postgresql://HOST:PORT/DB");
      }
      int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
      String jdbc = "jdbc:" + rest;
      return new Target(jdbc, host + ":" + port + path);
    }
  }
}
