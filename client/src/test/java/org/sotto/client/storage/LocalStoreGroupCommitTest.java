package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * The group commit of {@link LocalStore}: units of many threads share commits, each caller returns
 * (or its future completes) only once its unit is committed, and a failing unit is rolled back
 * alone. "Committed" is checked through a second, read-only connection to the file, which sees
 * committed data only.
 */
class LocalStoreGroupCommitTest {
  private static final String ACCOUNT = "alice";
  private static final int THREADS = 8;
  private static final int PER_THREAD = 25;

  @TempDir Path temp;
  private LocalStore store;
  private Connection reader;

  @BeforeEach
  void open() throws Exception {
    store = LocalStore.create(temp, ACCOUNT, null, new SecureRandom());
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    reader =
        DriverManager.getConnection("jdbc:sqlite:" + store.databaseFile(), config.toProperties());
  }

  @AfterEach
  void close() throws Exception {
    reader.close();
    store.close();
  }

  static StoredMessage message(String text) {
    Instant t = Instant.parse("2026-11-26T12:00:00Z");
    return new StoredMessage(
        UUID.randomUUID(), "bob", "bob", 1, t, t, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether another connection sees the message: only a committed one is visible there. */
  /**
   * Whether another connection sees {@code guid}'s row. One query at a time: on a connection shared
   * by several threads, a query started while another is still open would read that one's older
   * snapshot, and miss a commit that happened in between.
   */
  private boolean committed(UUID guid) throws Exception {
    synchronized (reader) {
      try (PreparedStatement ps =
          reader.prepareStatement("SELECT 1 FROM messages WHERE guid = ?")) {
        ps.setString(1, guid.toString());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    }
  }

  @Test
  void atomically_fromManyThreads_eachReturnsOnlyAfterACommitHoldingItsWork() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<Integer>> results = new ArrayList<>();
    long before = store.commits();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                int seen = 0;
                for (int i = 0; i < PER_THREAD; i++) {
                  StoredMessage m = message("m" + i);
                  store.<Void, RuntimeException>atomically(
                      () -> {
                        store.history().add(m);
                        return null;
                      });
                  if (committed(m.guid())) {
                    seen++;
                  }
                }
                return seen;
              }));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    for (Future<Integer> r : results) {
      assertEquals(PER_THREAD, r.get());
    }
    long commits = store.commits() - before;
    assertTrue(commits >= 1 && commits <= THREADS * PER_THREAD, "commits: " + commits);
  }

  @Test
  void atomicallyDeferred_unitsWhileTheCommitterWaits_shareOneCommitAndCompleteAfterIt()
      throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    store.commitGateForTest = gate;
    long before = store.commits();
    List<LocalStore.Staged<UUID>> staged = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      StoredMessage m = message("m" + i);
      staged.add(
          store.<UUID, RuntimeException>atomicallyDeferred(
              () -> {
                store.history().add(m);
                return m.guid();
              }));
    }
    // The units ran and see each other, but nothing is committed yet.
    for (LocalStore.Staged<UUID> s : staged) {
      assertFalse(s.durable().isDone());
      assertFalse(committed(s.value()));
      assertTrue(store.history().get(s.value()).isPresent());
    }
    gate.countDown();
    for (LocalStore.Staged<UUID> s : staged) {
      s.durable().get(10, TimeUnit.SECONDS);
      assertTrue(committed(s.value()));
    }
    assertEquals(1, store.commits() - before);
  }

  @Test
  void atomically_aFailingUnitInAGroup_isRolledBackAloneAndTheOthersCommit() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    store.commitGateForTest = gate;
    StoredMessage first = message("first");
    StoredMessage failed = message("failed");
    StoredMessage last = message("last");
    LocalStore.Staged<Void> a =
        store.<Void, RuntimeException>atomicallyDeferred(
            () -> {
              store.history().add(first);
              return null;
            });
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                store.<Void, RuntimeException>atomicallyDeferred(
                    () -> {
                      store.history().add(failed);
                      throw new IllegalStateException("bad unit");
                    }));
    assertEquals("bad unit", thrown.getMessage());
    LocalStore.Staged<Void> c =
        store.<Void, RuntimeException>atomicallyDeferred(
            () -> {
              store.history().add(last);
              return null;
            });
    assertTrue(store.history().get(failed.guid()).isEmpty());
    gate.countDown();
    a.durable().get(10, TimeUnit.SECONDS);
    c.durable().get(10, TimeUnit.SECONDS);
    assertTrue(committed(first.guid()));
    assertTrue(committed(last.guid()));
    assertFalse(committed(failed.guid()));
  }

  @Test
  void atomically_readOnlyUnitWithNothingPending_returnsWithoutACommit() throws Exception {
    StoredMessage m = message("m");
    store.history().add(m);
    long before = store.commits();
    LocalStore.Staged<Boolean> read =
        store.<Boolean, RuntimeException>atomicallyDeferred(
            () -> store.history().hasSeen(m.guid()));
    assertTrue(read.value());
    assertTrue(read.durable().isDone());
    assertEquals(before, store.commits());
  }

  @Test
  void close_withUnitsNotYetCommitted_commitsThemFirst() throws Exception {
    store.commitGateForTest = new CountDownLatch(1);
    StoredMessage m = message("m");
    LocalStore.Staged<Void> s =
        store.<Void, RuntimeException>atomicallyDeferred(
            () -> {
              store.history().add(m);
              return null;
            });
    assertFalse(s.durable().isDone());
    store.close();
    s.durable().get(10, TimeUnit.SECONDS);
    assertTrue(committed(m.guid()));
  }
}
