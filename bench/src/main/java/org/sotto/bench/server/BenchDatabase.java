package org.sotto.bench.server;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * A fresh, randomly named database on a PostgreSQL server for one bench setup, created through JDBC
 * as a trust-authenticated user and dropped on {@link #close()}, so every setup starts from empty
 * tables and two runs never share one. Not thread-safe.
 */
final class BenchDatabase implements AutoCloseable {
  /** Random bytes in the database name. */
  static final int NAME_RANDOM_BYTES = 6;

  /** Seconds to wait for a connection to the (local) server. */
  static final int CONNECT_TIMEOUT_SECONDS = 5;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String host;
  private final int port;
  private final String user;
  private final String name;

  private BenchDatabase(String host, int port, String user, String name) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.name = name;
  }

  /** Creates {@code sotto_bench_<setup>_<random>} on the server at {@code host:port}. */
  static BenchDatabase create(String host, int port, String user, String setup) throws Exception {
    byte[] r = new byte[NAME_RANDOM_BYTES];
    RANDOM.nextBytes(r);
    String name = "sotto_bench_" + setup + "_" + HexFormat.of().formatHex(r);
    BenchDatabase db = new BenchDatabase(host, port, user, name);
    try {
      db.admin("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a database on the PostgreSQL at "
              + host
              + ":"
              + port
              + " as "
              + user
              + " (trust authentication expected; --postgres HOST:PORT for another server): "
              + e.getMessage(),
          e);
    }
    return db;
  }

  /** The database's name. */
  String name() {
    return name;
  }

  /** The {@code sotto server} arguments that put a node's data in this database. */
  List<String> serverArgs() {
    return List.of("--db", "postgresql://" + host + ":" + port + "/" + name, "--db-user", user);
  }

  private void admin(String sql) throws SQLException {
    String url =
        "jdbc:postgresql://"
            + host
            + ":"
            + port
            + "/postgres?connectTimeout="
            + CONNECT_TIMEOUT_SECONDS;
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Drops the database, ending the sessions still open in it. */
  @Override
  public void close() {
    try {
      admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      Progress.log("bench: could not drop the database %s: %s", name, e.getMessage());
    }
  }
}
