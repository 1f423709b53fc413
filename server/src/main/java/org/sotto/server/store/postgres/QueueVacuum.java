package org.sotto.server.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.server.store.StoreException;

/**
 * Keeps the envelope queue table vacuumed. Every envelope is inserted and deleted within seconds,
 * so under load the table gathers tens of thousands of dead rows a second; autovacuum visits a
 * database at most once per {@code autovacuum_naptime} (a minute by default) and may be off, and
 * meanwhile every insert and scan wades through the dead rows. Every {@link #CHECK_MILLIS} one node
 * (an advisory lock elects it) reads the table's dead-row count and vacuums it when it passes
 * {@link #DEAD_ROWS}. Vacuum only reclaims space of deleted rows: it reads no contents.
 * Thread-safe.
 */
final class QueueVacuum implements AutoCloseable {
  /** How often the dead-row count is read: a second of load adds a few thousand dead rows. */
  static final long CHECK_MILLIS = 5_000;

  /**
   * Dead rows that trigger a vacuum: enough that a vacuum (a pass over a table whose live part is
   * small) is worth it, few enough that scans never read much more than the live queue.
   */
  static final long DEAD_ROWS = 20_000;

  /** The advisory lock key that elects the vacuuming node ("sotto-vq"). */
  static final long LOCK_KEY = 0x736f74746f2d7671L;

  private static final Logger log = LoggerFactory.getLogger(QueueVacuum.class);

  private final PostgresDatabase db;
  private final ScheduledExecutorService timer;
  private final AtomicLong vacuums = new AtomicLong();

  QueueVacuum(PostgresDatabase db) {
    this.db = db;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "postgres-vacuum");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Vacuums done by this node so far (tests). */
  long vacuums() {
    return vacuums.get();
  }

  /** Reads the dead-row count and vacuums when it is over {@code threshold}; true if it did. */
  boolean vacuumIfOver(long threshold) {
    return db.autoCommit(
        c -> {
          long dead;
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT n_dead_tup FROM pg_stat_user_tables"
                          + " WHERE relid = 'envelopes'::regclass");
              ResultSet rs = ps.executeQuery()) {
            dead = rs.next() ? rs.getLong(1) : 0;
          }
          if (dead < threshold) {
            return false;
          }
          try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
              if (!rs.next() || !rs.getBoolean(1)) {
                return false; // another node is vacuuming
              }
            }
            try {
              // SKIP_LOCKED: if autovacuum is already at it, leave it be. ANALYZE: the queue's size
              // swings, and plans should follow it. TRUNCATE false: see V4.sql.
              s.execute("VACUUM (SKIP_LOCKED, ANALYZE, TRUNCATE false) envelopes");
            } finally {
              s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
          }
          vacuums.incrementAndGet();
          return true;
        });
  }

  private void check() {
    try {
      vacuumIfOver(DEAD_ROWS);
    } catch (StoreException e) {
      log.debug("queue vacuum skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("queue vacuum failed: {}", e.getClass().getSimpleName());
    }
  }

  /** Stops the checks (a vacuum under way finishes first). */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
