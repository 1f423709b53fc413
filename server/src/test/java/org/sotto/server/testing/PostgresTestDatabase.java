package org.sotto.server.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A fresh, empty PostgreSQL database on the local service for one test class, dropped on close. The
 * service is found at {@code 127.0.0.1:5432} as user {@code postgres} with trust authentication, or
 * wherever {@code SOTTO_TEST_PG_URL} ({@code postgresql://HOST:PORT/DB}, the database used to
 * create others) and {@code SOTTO_TEST_PG_USER} point. When it is unreachable the test fails with
 * instructions; it never skips.
 */
public final class PostgresTestDatabase implements AutoCloseable {
  /** The admin database on the local service. */
  public static final String DEFAULT_ADMIN_URL = "postgresql://127.0.0.1:5432/postgres";

  private final String adminJdbcUrl;
  private final String base;
  private final String user;
  private final String name;

  private PostgresTestDatabase(String adminJdbcUrl, String base, String user, String name) {
    this.adminJdbcUrl = adminJdbcUrl;
    this.base = base;
    this.user = user;
    this.name = name;
  }

  /** Creates {@code sotto_test_<random>}. */
  public static PostgresTestDatabase create() {
    String admin = System.getenv().getOrDefault("SOTTO_TEST_PG_URL", DEFAULT_ADMIN_URL);
    String user = System.getenv().getOrDefault("SOTTO_TEST_PG_USER", "postgres");
    String url = admin.startsWith("jdbc:") ? admin.substring("jdbc:".length()) : admin;
    int slash = url.indexOf('/', "postgresql://".length());
    String base = url.substring(0, slash + 1);
    byte[] suffix = new byte[6];
    new SecureRandom().nextBytes(suffix);
    String name = "sotto_test_" + HexFormat.of().formatHex(suffix);
    PostgresTestDatabase db = new PostgresTestDatabase("jdbc:" + url, base, user, name);
    db.admin("CREATE DATABASE " + name);
    return db;
  }

  private void admin(String sql) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("connectTimeout", "5");
    try (Connection c = DriverManager.getConnection(adminJdbcUrl, p);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        throw new AssertionError(
            "PostgreSQL is not reachable at "
                + adminJdbcUrl
                + " as user "
                + user
                + ". Start the local service (for example `pg_ctlcluster <version> main start` or"
                + " `service postgresql start`; trust authentication for 127.0.0.1) or point"
                + " SOTTO_TEST_PG_URL=postgresql://HOST:PORT/postgres and SOTTO_TEST_PG_USER at"
                + " one.",
            e);
      }
      throw new AssertionError("PostgreSQL refused: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** The database's URL in the form {@code --db} takes. */
  public String url() {
    return base + name;
  }

  /** The database's JDBC URL. */
  public String jdbcUrl() {
    return "jdbc:" + url();
  }

  /** The user to connect as. */
  public String user() {
    return user;
  }

  /** The database name. */
  public String name() {
    return name;
  }

  /** Ends every session on the database (simulates PostgreSQL restarting). */
  public void terminateSessions() {
    admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + name
            + "' AND pid <> pg_backend_pid()");
  }

  /**
   * Refuses ({@code false}) or allows new connections to the database; refusing also ends the open
   * ones. Simulates PostgreSQL being down without touching the shared service.
   */
  public void allowConnections(boolean allow) {
    admin("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS " + allow);
    if (!allow) {
      terminateSessions();
    }
  }

  /** Drops the database, ending its sessions. */
  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
