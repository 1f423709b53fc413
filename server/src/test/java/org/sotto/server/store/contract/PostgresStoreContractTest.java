package org.sotto.server.store.contract;

import org.sotto.server.store.Stores;
import org.sotto.server.store.postgres.PostgresDatabase;
import org.sotto.server.testing.PostgresTestDatabase;

/**
 * The store contract on PostgreSQL: a fresh database on the local service, dropped afterwards.
 * Fails (never skips) when PostgreSQL is not running.
 */
class PostgresStoreContractTest extends StoreContract {
  private PostgresTestDatabase database;

  @Override
  protected Stores openStores() {
    database = PostgresTestDatabase.create();
    return Stores.postgres(PostgresDatabase.open(database.url(), database.user(), null));
  }

  @Override
  protected void cleanUp() {
    if (database != null) {
      database.close();
    }
  }
}
