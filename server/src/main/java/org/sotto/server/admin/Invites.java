package org.sotto.server.admin;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.sotto.server.ServerConfig;
import org.sotto.server.auth.Secrets;
import org.sotto.server.store.InviteStore;
import org.sotto.server.store.Stores;
import org.sotto.server.store.jdbc.JdbcInviteStore;
import org.sotto.server.store.sqlite.SqliteDatabase;

/**
 * Issues operator invite codes for {@code --registration invite}: random codes, stored only as
 * hashes, each usable once. Stateless and thread-safe.
 */
public final class Invites {
  /** 128 random bits per code: unguessable, and still short enough to paste into a message. */
  public static final int CODE_BYTES = 16;

  /** Codes per command: enough for any batch an operator hands out, bounded against typos. */
  public static final int MAX_PER_CALL = 1_000;

  private Invites() {}

  /** Issues {@code count} codes into {@code store} and returns them (they are not stored). */
  public static List<String> issue(InviteStore store, int count, SecureRandom random, Clock clock) {
    if (count < 1 || count > MAX_PER_CALL) {
      throw new IllegalArgumentException("the count must be 1.." + MAX_PER_CALL);
    }
    List<String> codes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String code = Secrets.randomCode(random, CODE_BYTES);
      store.add(Secrets.hashCode(code), clock.millis());
      codes.add(code);
    }
    return codes;
  }

  /**
   * Issues {@code count} codes into the database in {@code dataDir} (creating it if needed), which
   * a running server may be using at the same time.
   */
  public static List<String> issue(Path dataDir, int count) {
    if (count < 1 || count > MAX_PER_CALL) {
      throw new IllegalArgumentException("the count must be 1.." + MAX_PER_CALL);
    }
    try (SqliteDatabase db = DataFolder.open(dataDir, true)) {
      return issue(new JdbcInviteStore(db.sql()), count, new SecureRandom(), Clock.systemUTC());
    }
  }

  /**
   * Issues {@code count} codes into the database {@code config} names: PostgreSQL when {@link
   * ServerConfig#dbUrl()} is set, else SQLite in the data folder (created if needed).
   */
  public static List<String> issue(ServerConfig config, int count) {
    if (config.dbUrl() == null) {
      return issue(config.dataDir(), count);
    }
    if (count < 1 || count > MAX_PER_CALL) {
      throw new IllegalArgumentException("the count must be 1.." + MAX_PER_CALL);
    }
    try (Stores stores = Stores.open(config)) {
      return issue(stores.invites(), count, new SecureRandom(), Clock.systemUTC());
    }
  }
}
