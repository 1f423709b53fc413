package org.sotto.server.store.postgres;

import java.time.Duration;
import org.sotto.server.store.StoreException;

/**
 * PostgreSQL did not accept a connection while the server was starting. The message names {@code
 * host:port/db} and how long we waited, never credentials.
 */
public final class PostgresUnreachableException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** No connection to {@code where} within {@code waited}. */
  public PostgresUnreachableException(String where, Duration waited, Throwable cause) {
    super(
        "PostgreSQL at "
            + where
            + " is unreachable (waited "
            + waited.toSeconds()
            + " s): is it running and accepting TCP connections there?",
        cause);
  }
}
