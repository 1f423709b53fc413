package org.sotto.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.LongSupplier;
import org.sotto.server.ServerConfig;
import org.sotto.server.certs.ServerKeys;
import org.sotto.server.store.jdbc.JdbcAttachmentStore;
import org.sotto.server.store.jdbc.JdbcInviteStore;
import org.sotto.server.store.postgres.PostgresAccountStore;
import org.sotto.server.store.postgres.PostgresDatabase;
import org.sotto.server.store.postgres.PostgresDeviceStore;
import org.sotto.server.store.postgres.PostgresKeyStore;
import org.sotto.server.store.postgres.PostgresMessageStore;
import org.sotto.server.store.postgres.PostgresServerKeys;
import org.sotto.server.store.sqlite.SqliteAccountStore;
import org.sotto.server.store.sqlite.SqliteDatabase;
import org.sotto.server.store.sqlite.SqliteDeviceStore;
import org.sotto.server.store.sqlite.SqliteKeyStore;
import org.sotto.server.store.sqlite.SqliteMessageStore;

/**
 * Every store of one server over one database, chosen by {@link #open}: embedded SQLite in the data
 * folder (the default) or PostgreSQL shared by a cluster. Also where the server keys live and the
 * message store's metrics hooks. {@link #close()} finishes pending writes and closes the database.
 * Thread-safe.
 *
 * @param serverKeys loads (or creates) the sealed-sender keys where this backend keeps them
 * @param queueDepth envelopes queued (the queue-depth gauge)
 * @param droppedTotal envelopes dropped (the dropped-messages counter)
 * @param onClose closes the database
 */
public record Stores(
    AccountStore accounts,
    DeviceStore devices,
    KeyStore keys,
    InviteStore invites,
    MessageStore messages,
    AttachmentStore attachments,
    KeysSource serverKeys,
    LongSupplier queueDepth,
    LongSupplier droppedTotal,
    Runnable onClose)
    implements AutoCloseable {

  /** Loads or creates the server keys. */
  @FunctionalInterface
  public interface KeysSource {
    /** The keys, created with {@code random} when none exist yet. */
    ServerKeys load(SecureRandom random) throws IOException;
  }

  /**
   * Largest password file read: a password is short; anything bigger is the wrong file, and must
   * not be read into memory whole.
   */
  static final long MAX_PASSWORD_FILE_BYTES = 4096;

  /**
   * The stores {@code config} asks for: PostgreSQL when {@link ServerConfig#dbUrl()} is set, else
   * SQLite in the data folder (created if needed).
   *
   * @throws IllegalArgumentException a bad database URL or an unreadable password file
   * @throws StoreException the database cannot be opened
   */
  public static Stores open(ServerConfig config) {
    if (config.dbUrl() == null) {
      return sqlite(SqliteDatabase.open(config.dataDir()), config.dataDir());
    }
    String password =
        config.dbPasswordFile() == null ? null : readPassword(config.dbPasswordFile());
    return postgres(PostgresDatabase.open(config.dbUrl(), config.dbUser(), password));
  }

  /** The SQLite stores over {@code db}; server keys are files under {@code dataDir}. */
  public static Stores sqlite(SqliteDatabase db, Path dataDir) {
    SqliteMessageStore messages = new SqliteMessageStore(db);
    return new Stores(
        new SqliteAccountStore(db),
        new SqliteDeviceStore(db),
        new SqliteKeyStore(db),
        new JdbcInviteStore(db.sql()),
        messages,
        new JdbcAttachmentStore(db.sql()),
        random -> ServerKeys.loadOrCreate(dataDir, random),
        messages::depth,
        messages::droppedTotal,
        db::close);
  }

  /** The PostgreSQL stores over {@code db}; server keys are the shared {@code server_keys} row. */
  public static Stores postgres(PostgresDatabase db) {
    PostgresMessageStore messages = new PostgresMessageStore(db);
    return new Stores(
        new PostgresAccountStore(db),
        new CachingDeviceStore(new PostgresDeviceStore(db)),
        new PostgresKeyStore(db),
        new JdbcInviteStore(db.sql()),
        messages,
        new JdbcAttachmentStore(db.sql()),
        random -> ServerKeys.loadOrCreate(new PostgresServerKeys(db), random),
        messages::depth,
        messages::droppedTotal,
        () -> {
          messages.close();
          db.close();
        });
  }

  /**
   * The password in {@code file}, without its trailing line break.
   *
   * @throws IllegalArgumentException the file is unreadable or too large (the message names the
   *     file, never its content)
   */
  public static String readPassword(Path file) {
    try {
      if (Files.size(file) > MAX_PASSWORD_FILE_BYTES) {
        throw new IllegalArgumentException("--db-password-file " + file + " is too large");
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (text.endsWith("\n")) {
        text = text.substring(0, text.length() - 1);
      }
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --db-password-file " + file);
    }
  }

  /** Finishes pending writes, then closes the database. */
  @Override
  public void close() {
    onClose.run();
  }

  @Override
  public String toString() {
    return "Stores[" + messages.getClass().getSimpleName() + "]";
  }
}
