package org.sotto.server.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sotto.server.store.sqlite.SqliteDatabase;

/**
 * Opens a data folder's database for an operator command. The server may be running meanwhile:
 * SQLite in WAL mode lets both read, and the busy timeout makes one writer wait for the other.
 */
final class DataFolder {
  private DataFolder() {}

  /**
   * The database in {@code dataDir}; with {@code create} false a folder without one is refused (a
   * typo in {@code --data} must not create an empty database and report "unknown account").
   */
  static SqliteDatabase open(Path dataDir, boolean create) {
    if (!create && !Files.isRegularFile(dataDir.resolve(SqliteDatabase.FILE_NAME))) {
      throw new IllegalArgumentException("no Sotto database in " + dataDir);
    }
    return SqliteDatabase.open(dataDir);
  }
}
