package org.sotto.server.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.server.store.StoreException;

class SqliteDatabaseTest {
  @TempDir Path dir;

  private static long invites(SqliteDatabase db) {
    return db.read(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT count(*) FROM invites")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static SqliteDatabase.Work<Integer> insertInvite(int i) {
    return c -> {
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO invites (code_hash, created_ms) VALUES (?, ?)")) {
        ps.setBytes(1, new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
        ps.setLong(2, i);
        return ps.executeUpdate();
      }
    };
  }

  @Test
  void writeAsync_manyConcurrentWrites_shareCommitsAndAllLand() throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(dir)) {
      // Block the writer so the next writes pile up and must be grouped.
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Object> blocker =
          db.writeAsync(
              c -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return null;
              });
      List<CompletableFuture<Integer>> writes = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        writes.add(db.writeAsync(insertInvite(i)));
      }
      long before = db.commits();
      release.countDown();
      blocker.join();
      for (CompletableFuture<Integer> w : writes) {
        assertEquals(1, w.join());
      }
      long groups = db.commits() - before;
      assertTrue(groups <= 1000 / SqliteDatabase.MAX_GROUP + 2, "commits: " + groups);
      assertEquals(1000, invites(db));
    }
  }

  @Test
  void write_failingWorkInGroup_rollsBackOnlyItself() throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(dir)) {
      CompletableFuture<Integer> ok1 = db.writeAsync(insertInvite(1));
      CompletableFuture<Integer> bad =
          db.writeAsync(
              c -> {
                insertInvite(2).run(c);
                throw new SQLException("boom");
              });
      CompletableFuture<Integer> ok3 = db.writeAsync(insertInvite(3));
      assertEquals(1, ok1.join());
      assertEquals(1, ok3.join());
      StoreException e = assertThrows(StoreException.class, () -> SqliteDatabase.join(bad));
      assertEquals("write failed", e.getMessage());
      assertEquals(2, invites(db));
    }
  }

  @Test
  void open_existingDatabase_keepsDataAndSchemaVersion() throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(dir)) {
      db.write(insertInvite(7));
    }
    try (SqliteDatabase db = SqliteDatabase.open(dir)) {
      assertEquals(1, invites(db));
      assertEquals(Migrations.latest(), (int) db.read(Migrations::version));
    }
  }

  @Test
  void open_databaseFromNewerServer_isRefused() throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(dir)) {
      db.write(
          c -> {
            try (Statement st = c.createStatement()) {
              st.execute("PRAGMA user_version = " + (Migrations.latest() + 1));
            }
            return null;
          });
    }
    StoreException e = assertThrows(StoreException.class, () -> SqliteDatabase.open(dir));
    assertTrue(e.getCause().getMessage().contains("newer"), e.getCause().getMessage());
  }

  @Test
  void close_withQueuedWrites_finishesThemFirst() throws Exception {
    SqliteDatabase db = SqliteDatabase.open(dir);
    List<CompletableFuture<Integer>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(db.writeAsync(insertInvite(i)));
    }
    db.close();
    for (CompletableFuture<Integer> w : writes) {
      assertEquals(1, w.join());
    }
    try (SqliteDatabase again = SqliteDatabase.open(dir)) {
      assertEquals(200, invites(again));
    }
  }

  @Test
  void writeAsync_afterClose_failsWithStoreException() {
    SqliteDatabase db = SqliteDatabase.open(dir);
    db.close();
    assertThrows(StoreException.class, () -> SqliteDatabase.join(db.writeAsync(insertInvite(1))));
  }
}
