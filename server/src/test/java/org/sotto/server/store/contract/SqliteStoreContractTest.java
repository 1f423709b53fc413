package org.sotto.server.store.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sotto.server.store.Stores;
import org.sotto.server.store.sqlite.SqliteDatabase;
import org.sotto.server.testing.TestServer;

/** The store contract on embedded SQLite in a fresh data folder. */
class SqliteStoreContractTest extends StoreContract {
  private Path dir;

  @Override
  protected Stores openStores() throws Exception {
    dir = Files.createTempDirectory("sotto-store-contract");
    return Stores.sqlite(SqliteDatabase.open(dir), dir);
  }

  @Override
  protected void cleanUp() throws Exception {
    TestServer.deleteTree(dir);
  }
}
