package org.sotto.client.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * The local store of one account: one SQLite file {@code <account>.db} and its key file {@code
 * <account>.key} in a folder. Identity key, sessions, prekeys, sender keys, message bodies and
 * contact secrets are encrypted at rest with AES-256-GCM under a random 32-byte data key.
 *
 * <p>Without a passphrase the data key sits in the key file as is (mode 0600). That protects a copy
 * of the database alone (a backup, a synced folder, a stolen disk image without the key file), not
 * against someone who can read the user's files, who reads the key file too. With a passphrase the
 * key file holds the data key wrapped under an Argon2id-derived key (see {@link KeyFile}), and
 * nothing can be read without it.
 *
 * <p>Opening never repairs or resets: a wrong passphrase gives {@link WrongPassphraseException}
 * before any file is touched; a damaged, truncated, mismatched or missing file gives {@link
 * CorruptStoreException}.
 *
 * <p>Thread-safe: one connection, used under a lock; {@link #atomically} runs several operations
 * atomically and may nest (inner calls join the outer transaction).
 *
 * <p><b>Group commit.</b> Each outermost transaction is a <i>unit</i> in its own savepoint inside
 * one long SQLite transaction: a unit that fails is rolled back to its savepoint and leaves the
 * others alone. A committer thread commits every unit that ran since the last commit at once (one
 * fsync for all of them, {@code synchronous=FULL}), as the server's writer does. A unit that
 * changed something returns (or its {@link Staged#durable()} future completes) only after the
 * commit that holds it; a unit that changed nothing returns at once. Units run one at a time, in
 * the order they asked for the lock (a fair lock), and the committer waits its turn like a unit, so
 * everything that queued while the last commit was being written goes into the next one. Units see
 * the changes of earlier units that are not committed yet (one connection): whoever acts on what a
 * unit saw outside this process (sends, acks) waits for {@link Staged#durable()} first, which
 * completes after every earlier unit's commit too.
 */
public final class LocalStore implements AutoCloseable {
  /** Work on the store's connection inside a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException, StorageException;
  }

  /** The database file's suffix after the account name. */
  public static final String DATABASE_SUFFIX = ".db";

  /** The key file's suffix after the account name. */
  public static final String KEY_SUFFIX = ".key";

  /** The lock file's suffix after the account name (held while the store is open). */
  public static final String LOCK_SUFFIX = ".lock";

  /**
   * Account names become file names: letters, digits, dot, dash and underscore only, starting with
   * a letter or digit, so a name can never point outside the folder or hide as a dot file.
   */
  private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** How often a committer held back by a test's gate checks whether the store was closed. */
  private static final long GATE_POLL_MS = 10;

  /** How long to wait on a lock held by another process (milliseconds) before failing. */
  static final int BUSY_TIMEOUT_MS = 10_000;

  private static final byte[] SQLITE_MAGIC =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_CHECK = "sotto key check".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_CHECK_ROW = FieldCipher.rowId("meta", "value_enc", "key_check");

  /** SQLite's primary result codes for a damaged file and for a file that is not a database. */
  private static final int SQLITE_CORRUPT = 11;

  private static final int SQLITE_NOTADB = 26;

  private final Path databaseFile;
  private final Path keyFile;
  private final StoreLock storeLock;
  private final Connection connection;
  private final FieldCipher cipher;
  private final SecretBytes dataKey;
  private final SecureRandom rng;
  // Fair: the committer queues behind the units waiting before it, so they share its commit.
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition unitsWaiting = lock.newCondition();
  private final AtomicLong commits = new AtomicLong();
  private final Thread committer;
  // Forgotten on every rollback, so it never holds what the database does not.
  private final RecordCache records = new RecordCache();
  // Guarded by lock.
  private int depth;
  private volatile boolean closed;
  private Batch open = new Batch();
  private Statement unitStatement;
  // Tests: while set and not counted down, the committer holds its next commit back.
  volatile java.util.concurrent.CountDownLatch commitGateForTest;

  /** The units run since the last commit, and the future their commit completes. */
  private static final class Batch {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    int units;
  }

  /**
   * What a unit returned, and the future that completes once it is durable: after the group commit
   * that holds it (and every earlier unit), or at once if it changed nothing and saw nothing
   * uncommitted. The future fails with a {@link StorageException} if that commit failed (then the
   * unit's changes are gone).
   */
  public record Staged<T>(T value, CompletableFuture<Void> durable) {
    /** Waits (not interruptibly: a commit takes milliseconds) until the unit is durable. */
    public T awaitDurable() throws StorageException {
      awaitCommit(durable);
      return value;
    }
  }

  private LocalStore(
      Path databaseFile,
      Path keyFile,
      StoreLock storeLock,
      Connection connection,
      SecretBytes dataKey,
      SecureRandom rng) {
    this.databaseFile = databaseFile;
    this.keyFile = keyFile;
    this.storeLock = storeLock;
    this.connection = connection;
    this.dataKey = dataKey;
    this.cipher = new FieldCipher(dataKey, rng);
    this.rng = rng;
    this.committer =
        Thread.ofPlatform().daemon().name("sotto-store-commit").unstarted(this::commitLoop);
  }

  /** Whether a store (either of its files) exists for {@code account} in {@code folder}. */
  public static boolean exists(Path folder, String account) {
    checkAccount(account);
    return Files.exists(folder.resolve(account + DATABASE_SUFFIX))
        || Files.exists(folder.resolve(account + KEY_SUFFIX));
  }

  /**
   * Creates a new store for {@code account} in {@code folder} (created 0700 if missing).
   *
   * @param passphrase wraps the data key when not null; the caller may wipe it afterwards
   * @throws StorageException a store for this account exists already, or an I/O error
   */
  public static LocalStore create(Path folder, String account, char[] passphrase, SecureRandom rng)
      throws StorageException {
    checkAccount(account);
    Objects.requireNonNull(rng, "rng");
    Path db = folder.resolve(account + DATABASE_SUFFIX);
    Path key = folder.resolve(account + KEY_SUFFIX);
    try {
      FilePermissions.createPrivateFolders(folder);
    } catch (IOException e) {
      throw new StorageException("cannot create the store folder", e);
    }
    StoreLock storeLock = StoreLock.acquire(folder.resolve(account + LOCK_SUFFIX));
    if (Files.exists(db) || Files.exists(key)) {
      storeLock.close();
      throw new StorageException("a local store for this account exists already");
    }
    byte[] raw = new byte[FieldCipher.KEY_LENGTH];
    rng.nextBytes(raw);
    SecretBytes dataKey = SecretBytes.copyOf(raw);
    Arrays.fill(raw, (byte) 0);
    Connection connection = null;
    boolean createdDb = false;
    boolean done = false;
    try {
      FilePermissions.createPrivateFile(db);
      createdDb = true;
      connection = connect(db);
      Migrations.apply(connection);
      LocalStore store = new LocalStore(db, key, storeLock, connection, dataKey, rng);
      try (PreparedStatement ps =
          connection.prepareStatement("INSERT INTO meta (name, value_enc) VALUES (?, ?)")) {
        ps.setString(1, "key_check");
        ps.setBytes(2, store.cipher.encrypt(KEY_CHECK, KEY_CHECK_ROW));
        ps.executeUpdate();
      }
      connection.commit();
      writeKeyFile(key, KeyFile.encode(dataKey, passphrase, rng));
      store.committer.start();
      done = true;
      return store;
    } catch (IOException e) {
      throw new StorageException("cannot create the local store", e);
    } catch (SQLException e) {
      throw mapSql(e, "cannot create the local store");
    } finally {
      if (!done) {
        closeQuietly(connection);
        dataKey.destroy();
        storeLock.close();
      }
      if (!done && createdDb) {
        deleteQuietly(db);
        deleteQuietly(db.resolveSibling(db.getFileName() + "-wal"));
        deleteQuietly(db.resolveSibling(db.getFileName() + "-shm"));
      }
    }
  }

  /**
   * Opens the existing store of {@code account} in {@code folder}.
   *
   * @param passphrase the store's passphrase, or null if it has none
   * @throws WrongPassphraseException the passphrase does not fit; nothing was changed
   * @throws CorruptStoreException a file is damaged, truncated, missing or from another store
   * @throws StoreLockedException the store is open already (another process or object)
   * @throws StorageException no store exists, or an I/O error
   */
  public static LocalStore open(Path folder, String account, char[] passphrase, SecureRandom rng)
      throws StorageException {
    checkAccount(account);
    Objects.requireNonNull(rng, "rng");
    Path db = folder.resolve(account + DATABASE_SUFFIX);
    Path key = folder.resolve(account + KEY_SUFFIX);
    boolean hasDb = Files.exists(db);
    boolean hasKey = Files.exists(key);
    if (!hasDb && !hasKey) {
      throw new StorageException("no local store for this account");
    }
    if (!hasKey) {
      throw new CorruptStoreException("the store's key file is missing");
    }
    if (!hasDb) {
      throw new CorruptStoreException("the store's database file is missing");
    }
    // Unwrap the key first: a wrong passphrase must fail before SQLite touches any file.
    SecretBytes dataKey = KeyFile.read(key, passphrase);
    checkSqliteHeader(db);
    StoreLock storeLock;
    try {
      storeLock = StoreLock.acquire(folder.resolve(account + LOCK_SUFFIX));
    } catch (StorageException e) {
      dataKey.destroy();
      throw e;
    }
    Connection connection = null;
    boolean done = false;
    try {
      connection = connect(db);
      quickCheck(connection);
      Migrations.apply(connection);
      LocalStore store = new LocalStore(db, key, storeLock, connection, dataKey, rng);
      store.checkKey();
      connection.commit();
      for (Path p : new Path[] {db, key, wal(db), shm(db)}) {
        FilePermissions.restrict(p);
      }
      store.committer.start();
      done = true;
      return store;
    } catch (IOException e) {
      throw new StorageException("cannot open the local store", e);
    } catch (SQLException e) {
      throw mapSql(e, "cannot open the local store");
    } finally {
      if (!done) {
        closeQuietly(connection);
        dataKey.destroy();
        storeLock.close();
      }
    }
  }

  /** Whether the store of {@code account} needs a passphrase to open (reads only the key file). */
  public static boolean needsPassphrase(Path folder, String account) throws StorageException {
    checkAccount(account);
    Path key = folder.resolve(account + KEY_SUFFIX);
    if (!Files.exists(key)) {
      throw new StorageException("no key file for this account");
    }
    return KeyFile.needsPassphrase(key);
  }

  /**
   * Sets, changes or (with null) removes the passphrase. The key file is replaced atomically; the
   * data key and the database stay as they are.
   */
  public void changePassphrase(char[] newPassphrase) throws StorageException {
    lock.lock();
    try {
      ensureOpen();
      try {
        writeKeyFile(keyFile, KeyFile.encode(dataKey, newPassphrase, rng));
      } catch (IOException e) {
        throw new StorageException("cannot replace the key file", e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The database file. */
  public Path databaseFile() {
    return databaseFile;
  }

  /** The key file. */
  public Path keyFile() {
    return keyFile;
  }

  /** The message history of this account. */
  public HistoryStore history() {
    return new HistoryStore(this);
  }

  /** The contacts of this account. */
  public ContactStore contacts() {
    return new ContactStore(this);
  }

  /**
   * A named value the SDK keeps about this account (encrypted, bound to its name), or empty. Names
   * live in their own namespace, apart from the store's own entries such as the key check.
   */
  public Optional<byte[]> setting(String name) throws StorageException {
    byte[] row = settingRow(name);
    return transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT value_enc FROM meta WHERE name = ?")) {
            ps.setString(1, "sdk." + name);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(cipher.decrypt(rs.getBytes(1), row, "meta"))
                  : Optional.empty();
            }
          }
        });
  }

  /** Stores or replaces the named value (see {@link #setting}); joins an enclosing transaction. */
  public void putSetting(String name, byte[] value) throws StorageException {
    Objects.requireNonNull(value, "value");
    byte[] row = settingRow(name);
    transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO meta (name, value_enc) VALUES (?, ?)"
                      + " ON CONFLICT (name) DO UPDATE SET value_enc = excluded.value_enc")) {
            ps.setString(1, "sdk." + name);
            ps.setBytes(2, cipher.encrypt(value, row));
            ps.executeUpdate();
          }
          return null;
        });
  }

  private static byte[] settingRow(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty");
    }
    return FieldCipher.rowId("meta", "value_enc", "sdk." + name);
  }

  FieldCipher cipher() {
    return cipher;
  }

  /** An action run atomically by {@link #atomically}. */
  @FunctionalInterface
  public interface Action<T, E extends Exception> {
    /** Runs inside the transaction; store calls made meanwhile on this thread join it. */
    T run() throws E, StorageException;
  }

  /**
   * Runs {@code action} in one transaction: every store call it makes on this thread (protocol
   * store, history, contacts) commits together when it returns, or not at all if it throws. This is
   * how a received message is decrypted, its session advanced and the message stored as one step,
   * before the server is told to delete it. Other threads wait meanwhile; nested calls join.
   * Returns once the changes are durable (see the class comment).
   */
  public <T, E extends Exception> T atomically(Action<T, E> action) throws E, StorageException {
    Objects.requireNonNull(action, "action");
    Ran<T> ran = unit(action);
    // Nested in another unit: that unit's caller waits (waiting here would wait for ourselves). A
    // unit that changed nothing has nothing to wait for.
    if (ran.changed()) {
      awaitCommit(ran.durable());
    }
    return ran.value();
  }

  /**
   * {@link #atomically} without the wait: returns as soon as {@code action} ran, with the future of
   * its commit. The caller may release its own locks before waiting, so that other units join the
   * same commit, and must wait before anything outside this process depends on the changes (a
   * message key used in a ciphertext that leaves the device, an ack). Not for use inside another
   * unit (where nothing can be waited for).
   */
  public <T, E extends Exception> Staged<T> atomicallyDeferred(Action<T, E> action)
      throws E, StorageException {
    Objects.requireNonNull(action, "action");
    Ran<T> ran = unit(action);
    if (ran.durable() == null) {
      throw new IllegalStateException("atomicallyDeferred inside another unit");
    }
    return new Staged<>(ran.value(), ran.durable());
  }

  /**
   * Runs {@code work} in a transaction: committed when the outermost call returns, rolled back if
   * it throws. Nested calls on the same thread join the outer transaction.
   */
  <T> T transaction(Work<T> work) throws StorageException {
    try {
      return atomically(() -> work.run(connection));
    } catch (SQLException e) {
      throw mapSql(e, "local store operation failed");
    }
  }

  /**
   * The future of the next group commit if units wait for it, else a completed one: once it
   * completes, everything a unit has seen so far is durable.
   */
  public CompletableFuture<Void> pendingCommit() {
    lock.lock();
    try {
      return open.units > 0 ? open.done.copy() : CompletableFuture.completedFuture(null);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The decrypted records the protocol and contact stores keep in memory; forgotten by every
   * rollback. Only for use inside this store's transactions.
   */
  RecordCache records() {
    return records;
  }

  /** Group commits so far (each one fsync): tests compare it with the number of units. */
  public long commits() {
    return commits.get();
  }

  /** What a unit returned, the future of its commit (null if nested), whether it changed rows. */
  private record Ran<T>(T value, CompletableFuture<Void> durable, boolean changed) {}

  /** Runs one unit; nested in another one, it joins it and its future is null. */
  private <T, E extends Exception> Ran<T> unit(Action<T, E> action) throws E, StorageException {
    T result;
    CompletableFuture<Void> durable;
    boolean changed;
    lock.lock();
    try {
      ensureOpen();
      if (depth > 0) {
        depth++;
        try {
          return new Ran<>(action.run(), null, false);
        } finally {
          depth--;
        }
      }
      long before = totalChanges();
      unitSql("SAVEPOINT unit");
      depth = 1;
      boolean ok = false;
      try {
        result = action.run();
        unitSql("RELEASE unit");
        ok = true;
      } finally {
        depth = 0;
        if (!ok) {
          rollbackUnit();
        }
      }
      changed = totalChanges() != before;
      if (changed) {
        open.units++;
        unitsWaiting.signal();
      }
      // A unit that changed nothing may still have read uncommitted changes of earlier units.
      durable = open.units > 0 ? open.done.copy() : CompletableFuture.completedFuture(null);
    } finally {
      lock.unlock();
    }
    return new Ran<>(result, durable, changed);
  }

  /**
   * Undoes the failed unit only. If SQLite already rolled back the whole transaction (it does on
   * some I/O errors), the units before it in this batch are gone too: their commit fails.
   */
  private void rollbackUnit() {
    records.clear();
    try {
      unitSql("ROLLBACK TO unit");
      unitSql("RELEASE unit");
    } catch (StorageException e) {
      Batch lost = open;
      open = new Batch();
      try {
        connection.rollback();
      } catch (SQLException notActive) {
        // No transaction is open any more: open one, so that units keep joining group commits.
        try {
          unitSql("BEGIN");
        } catch (StorageException ignored) {
          // The connection is broken; later units fail on their own.
        }
      }
      lost.done.completeExceptionally(
          new StorageException("the local store's transaction was rolled back", e));
    }
  }

  private void unitSql(String sql) throws StorageException {
    try {
      if (unitStatement == null) {
        unitStatement = connection.createStatement();
      }
      unitStatement.execute(sql);
    } catch (SQLException e) {
      throw mapSql(e, "local store operation failed");
    }
  }

  private long totalChanges() throws StorageException {
    try {
      return connection.unwrap(SQLiteConnection.class).getDatabase().total_changes();
    } catch (SQLException e) {
      throw mapSql(e, "local store operation failed");
    }
  }

  /** The committer thread: commits whatever units ran, one group at a time, until closed. */
  private void commitLoop() {
    while (true) {
      Batch batch = null;
      StorageException failure = null;
      java.util.concurrent.CountDownLatch gate;
      lock.lock();
      try {
        while (open.units == 0 && !closed) {
          unitsWaiting.awaitUninterruptibly();
        }
        if (open.units == 0) {
          return; // Closed, and everything is committed.
        }
        gate = commitGateForTest;
        if (gate == null || gate.getCount() == 0 || closed) {
          batch = open;
          open = new Batch();
          failure = commitLocked();
        }
      } finally {
        lock.unlock();
      }
      if (batch == null) {
        try {
          while (!closed && !gate.await(GATE_POLL_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            // Only tests set a gate; close() does not wait for it.
          }
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      complete(batch, failure);
    }
  }

  /** Commits the open transaction; the failure, or null. Caller holds the lock. */
  private StorageException commitLocked() {
    try {
      connection.commit();
      commits.incrementAndGet();
      return null;
    } catch (SQLException e) {
      records.clear();
      try {
        connection.rollback();
      } catch (SQLException notActive) {
        // No transaction is open any more: open one, so that units keep joining group commits.
        try {
          unitSql("BEGIN");
        } catch (StorageException ignored) {
          // The connection is broken; the batch fails either way, and so will later units.
        }
      }
      return mapSql(e, "commit failed");
    }
  }

  private static void complete(Batch batch, StorageException failure) {
    if (failure == null) {
      batch.done.complete(null);
    } else {
      batch.done.completeExceptionally(failure);
    }
  }

  /** Waits for a commit future, unwrapping its failure. */
  static void awaitCommit(CompletableFuture<Void> durable) throws StorageException {
    try {
      durable.join();
    } catch (CompletionException e) {
      // A new exception per waiter (the batch's is shared), of the same kind.
      if (e.getCause() instanceof CorruptStoreException ce) {
        throw new CorruptStoreException(ce.getMessage(), ce);
      }
      if (e.getCause() instanceof StorageException se) {
        throw new StorageException(se.getMessage(), se);
      }
      throw new StorageException("commit failed", e.getCause());
    }
  }

  /**
   * Closes the connection (SQLite checkpoints the WAL into the database) and wipes the data key.
   */
  @Override
  public void close() throws StorageException {
    Batch last;
    StorageException failure = null;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      // Units that ran but are not committed yet are committed now, not lost.
      last = open;
      open = new Batch();
      if (last.units > 0) {
        failure = commitLocked();
      }
      unitsWaiting.signalAll();
    } finally {
      lock.unlock();
    }
    complete(last, failure);
    if (committer.isAlive() && Thread.currentThread() != committer) {
      try {
        committer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      records.clear();
      dataKey.destroy();
      try {
        if (unitStatement != null) {
          unitStatement.close();
        }
        connection.close();
      } catch (SQLException e) {
        throw mapSql(e, "closing the local store failed");
      } finally {
        storeLock.close();
      }
    } finally {
      lock.unlock();
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "LocalStore[" + databaseFile.getFileName() + "]";
  }

  private void ensureOpen() throws StorageException {
    if (closed) {
      throw new StorageException("the local store is closed");
    }
  }

  private void checkKey() throws SQLException, StorageException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT value_enc FROM meta WHERE name = 'key_check'")) {
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new CorruptStoreException("the database has no key check");
        }
        byte[] check;
        try {
          check = cipher.decrypt(rs.getBytes(1), KEY_CHECK_ROW, "meta");
        } catch (CorruptStoreException e) {
          throw new CorruptStoreException("the key file does not belong to this database", e);
        }
        if (!Arrays.equals(check, KEY_CHECK)) {
          throw new CorruptStoreException("the key file does not belong to this database");
        }
      }
    }
  }

  private static Connection connect(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL: a message is acknowledged to the server only after it is stored, so the commit must
    // survive a power cut, not only a crash.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    // Keep temporary tables and sort spills in memory rather than in unencrypted temp files.
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // Deleted rows are overwritten with zeros: plaintext metadata of deleted messages (who, when)
    // does not linger in free pages.
    config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
    Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    connection.setAutoCommit(false);
    return connection;
  }

  /** A database file that does not start with SQLite's header is not ours to open. */
  private static void checkSqliteHeader(Path db) throws StorageException {
    try (InputStream in = Files.newInputStream(db)) {
      byte[] head = in.readNBytes(SQLITE_MAGIC.length);
      if (!Arrays.equals(head, SQLITE_MAGIC)) {
        throw new CorruptStoreException("the database file is not an SQLite database or is empty");
      }
    } catch (IOException e) {
      throw new StorageException("cannot read the database file", e);
    }
  }

  /**
   * Runs SQLite's structural check, so a damaged or truncated file fails here with a clear error
   * instead of at some later read. It reads every page once, which is fast for a client-sized
   * database.
   */
  private static void quickCheck(Connection connection) throws SQLException, StorageException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
      if (!rs.next() || !"ok".equals(rs.getString(1))) {
        throw new CorruptStoreException("the database file is damaged (quick_check failed)");
      }
    }
  }

  static StorageException mapSql(SQLException e, String message) {
    int code = e.getErrorCode() & 0xff;
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
      return new CorruptStoreException("the database file is damaged", e);
    }
    return new StorageException(message, e);
  }

  /** Writes a new key file next to {@code key} (0600), then moves it over atomically. */
  private static void writeKeyFile(Path key, byte[] content) throws IOException {
    Path tmp = key.resolveSibling(key.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    FilePermissions.createPrivateFile(tmp);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        ch.force(true);
      }
      try {
        Files.move(tmp, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, key, StandardCopyOption.REPLACE_EXISTING);
      }
      syncFolder(key.toAbsolutePath().getParent());
    } finally {
      Arrays.fill(content, (byte) 0);
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes the rename durable where the platform allows opening a folder (Linux, macOS). */
  private static void syncFolder(Path folder) {
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not supported on this platform (Windows); the rename is still atomic.
    }
  }

  private static Path wal(Path db) {
    return db.resolveSibling(db.getFileName() + "-wal");
  }

  private static Path shm(Path db) {
    return db.resolveSibling(db.getFileName() + "-shm");
  }

  private static void checkAccount(String account) {
    Objects.requireNonNull(account, "account");
    if (!ACCOUNT_NAME.matcher(account).matches()) {
      throw new IllegalArgumentException("account name must match " + ACCOUNT_NAME.pattern());
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Already failing; the original error is what the caller needs.
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort cleanup of a half-created store.
    }
  }
}
