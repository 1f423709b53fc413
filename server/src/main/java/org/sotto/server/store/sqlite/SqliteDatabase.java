package org.sotto.server.store.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.server.store.StoreException;
import org.sqlite.SQLiteConfig;

/**
 * The embedded SQLite database: one file in the data folder, WAL mode, foreign keys on, a busy
 * timeout.
 *
 * <p>Writes go through one writer thread that <b>groups commits</b>: it takes every write waiting
 * in its queue, runs them in one transaction (each in its own savepoint, so one failing write does
 * not undo the others) and commits once, so many concurrent sends share one fsync. A write's future
 * completes only after that commit is durable ({@code synchronous=FULL}). Reads use a small pool of
 * read-only connections, which WAL lets run beside the writer. Thread-safe.
 */
public final class SqliteDatabase implements AutoCloseable {
  /** One unit of work on the writer connection, inside the group transaction. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs on the writer (or a reader) connection; must not commit or roll back itself. */
    T run(Connection connection) throws SQLException;
  }

  /**
   * This database for the stores shared with PostgreSQL: reads on a reader connection, writes
   * through the group-committing writer.
   */
  public org.sotto.server.store.jdbc.Sql sql() {
    SqliteDatabase db = this;
    return new org.sotto.server.store.jdbc.Sql() {
      @Override
      public <T> T read(Work<T> work) {
        return db.read(work::run);
      }

      @Override
      public <T> T write(Work<T> work) {
        return db.write(work::run);
      }
    };
  }

  /** The database file's name inside the data folder. */
  public static final String FILE_NAME = "sotto.db";

  /**
   * Most writes grouped into one transaction: bounds the latency that one slow group adds for the
   * writes behind it, while still sharing one fsync among hundreds of concurrent sends.
   */
  static final int MAX_GROUP = 512;

  /**
   * Writes waiting for the writer beyond this make callers wait (back-pressure) instead of growing
   * memory without bound under overload.
   */
  static final int MAX_PENDING_WRITES = 16_384;

  /**
   * How long a connection waits on a lock held by another process before failing (milliseconds).
   */
  static final int BUSY_TIMEOUT_MS = 10_000;

  /**
   * Read connections: WAL readers run beside the writer; a few per core are plenty for indexed
   * lookups.
   */
  static final int READERS = 8;

  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);

  private final Path file;
  private final Connection writer;
  private final BlockingQueue<Pending<?>> writes = new ArrayBlockingQueue<>(MAX_PENDING_WRITES);
  private final BlockingQueue<Connection> readers;
  private final Thread writerThread;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong commits =
      new java.util.concurrent.atomic.AtomicLong();

  private record Pending<T>(Work<T> work, CompletableFuture<T> result) {}

  private final java.util.concurrent.ConcurrentHashMap<
          Connection, java.util.concurrent.ConcurrentHashMap<String, java.sql.PreparedStatement>>
      statements = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The statement for {@code sql} on {@code connection}, compiled once and reused (SQLite compiles
   * every {@code prepareStatement} anew, which costs more than running a small indexed query). Only
   * for use inside a {@link Work} running on that connection, which owns it exclusively meanwhile;
   * callers must close result sets but never the statement.
   */
  public java.sql.PreparedStatement prepared(Connection connection, String sql)
      throws SQLException {
    var byConnection =
        statements.computeIfAbsent(connection, k -> new java.util.concurrent.ConcurrentHashMap<>());
    java.sql.PreparedStatement ps = byConnection.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      byConnection.put(sql, ps);
    }
    return ps;
  }

  private SqliteDatabase(Path file, Connection writer, BlockingQueue<Connection> readers) {
    this.file = file;
    this.writer = writer;
    this.readers = readers;
    this.writerThread = new Thread(this::writeLoop, "sqlite-writer");
    this.writerThread.setDaemon(true);
  }

  /** Opens (creating if needed) the database in {@code dataDir}, applying pending migrations. */
  public static SqliteDatabase open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path file = dataDir.resolve(FILE_NAME);
      Connection writer = connect(file, false);
      Migrations.apply(writer);
      BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
      for (int i = 0; i < READERS; i++) {
        readers.add(connect(file, true));
      }
      SqliteDatabase db = new SqliteDatabase(file, writer, readers);
      db.writerThread.start();
      return db;
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException("cannot open the database", e);
    }
  }

  private static Connection connect(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    if (readOnly) {
      config.setReadOnly(true);
    }
    Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    connection.setAutoCommit(readOnly);
    return connection;
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Queues {@code work} for the writer; the future completes after the group commit that includes
   * it, or exceptionally with the work's own exception (its savepoint rolled back) or a {@link
   * StoreException}.
   */
  public <T> CompletableFuture<T> writeAsync(Work<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new StoreException("database closed", null));
      return result;
    }
    try {
      writes.put(new Pending<>(work, result));
      if (closed && !writerThread.isAlive()) {
        // Raced with close(): the writer is gone, so nobody else will complete what is left.
        Pending<?> p;
        while ((p = writes.poll()) != null) {
          p.result.completeExceptionally(new StoreException("database closed", null));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.completeExceptionally(new StoreException("interrupted", e));
    }
    return result;
  }

  /** Runs {@code work} in the next group commit and waits for it to be durable. */
  public <T> T write(Work<T> work) {
    return join(writeAsync(work));
  }

  /** Waits for a write future, unwrapping its exception. */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException("write failed", cause);
    }
  }

  /**
   * Runs {@code work} on a read connection. Each statement sees a consistent snapshot of its own
   * (SQLite's implicit read transaction); use {@link #readSnapshot} when several statements must
   * agree.
   */
  public <T> T read(Work<T> work) {
    return onReader(work, false);
  }

  /**
   * Runs {@code work} on a read connection inside one read transaction: all its statements see one
   * snapshot.
   */
  public <T> T readSnapshot(Work<T> work) {
    return onReader(work, true);
  }

  private <T> T onReader(Work<T> work, boolean snapshot) {
    Connection connection;
    try {
      connection = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted", e);
    }
    try {
      if (!snapshot) {
        return work.run(connection);
      }
      connection.setAutoCommit(false);
      try {
        return work.run(connection);
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("read failed", e);
    } finally {
      readers.add(connection);
    }
  }

  private void writeLoop() {
    List<Pending<?>> group = new ArrayList<>(MAX_GROUP);
    while (!closed || !writes.isEmpty()) {
      try {
        Pending<?> first = writes.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        writes.drainTo(group, MAX_GROUP - 1);
        runGroup(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        log.error("writer failed", e);
        for (Pending<?> p : group) {
          p.result.completeExceptionally(new StoreException("write failed", e));
        }
      } finally {
        group.clear();
      }
    }
  }

  private void runGroup(List<Pending<?>> group) {
    List<Object> results = new ArrayList<>(group.size());
    List<Throwable> failures = new ArrayList<>(group.size());
    try (Statement st = writer.createStatement()) {
      for (Pending<?> p : group) {
        st.execute("SAVEPOINT w");
        try {
          results.add(p.work.run(writer));
          failures.add(null);
          st.execute("RELEASE w");
        } catch (SQLException | RuntimeException e) {
          st.execute("ROLLBACK TO w");
          st.execute("RELEASE w");
          results.add(null);
          failures.add(e instanceof SQLException ? new StoreException("write failed", e) : e);
        }
      }
      writer.commit();
      commits.incrementAndGet();
    } catch (SQLException e) {
      try {
        writer.rollback();
      } catch (SQLException ignored) {
        // The connection is broken; every write in the group fails below.
      }
      for (Pending<?> p : group) {
        p.result.completeExceptionally(new StoreException("commit failed", e));
      }
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      complete(group.get(i), results.get(i), failures.get(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Pending<T> p, Object value, Throwable failure) {
    if (failure != null) {
      p.result.completeExceptionally(failure);
    } else {
      p.result.complete((T) value);
    }
  }

  /**
   * Group commits so far (each is one fsync): tests and metrics compare it with the number of
   * writes.
   */
  public long commits() {
    return commits.get();
  }

  /** Finishes queued writes, then closes every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      writerThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      for (var byConnection : statements.values()) {
        for (java.sql.PreparedStatement ps : byConnection.values()) {
          ps.close();
        }
      }
      writer.close();
      for (Connection c : readers) {
        c.close();
      }
    } catch (SQLException e) {
      log.warn("closing the database failed: {}", e.getClass().getSimpleName());
    }
  }
}
