package org.sotto.server.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the stores whose SQL is the same on SQLite and PostgreSQL run their statements: {@link #read}
 * for queries, {@link #write} for changes that are atomic and durably committed when it returns.
 * {@code SqliteDatabase.sql()} and {@code PostgresDatabase.sql()} provide it; SQL failures come out
 * as {@link org.sotto.server.store.StoreException}.
 */
public interface Sql {
  /** One unit of work on a connection; it must not commit, roll back or close the connection. */
  @FunctionalInterface
  interface Work<T> {
    /** Runs the statements on {@code connection}. */
    T run(Connection connection) throws SQLException;
  }

  /** Runs a query. */
  <T> T read(Work<T> work);

  /** Runs a change atomically; returns after its durable commit. */
  <T> T write(Work<T> work);
}
