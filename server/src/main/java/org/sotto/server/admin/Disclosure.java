package org.sotto.server.admin;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import org.sotto.api.AccountId;
import org.sotto.api.ApiChecks;
import org.sotto.server.ServerConfig;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.DeviceStore;
import org.sotto.server.store.Stores;
import org.sotto.server.store.sqlite.SqliteAccountStore;
import org.sotto.server.store.sqlite.SqliteDatabase;
import org.sotto.server.store.sqlite.SqliteDeviceStore;

/**
 * Everything the server holds about one account that describes a person, for {@code sotto server
 * disclose}: the account id, creation day, last-seen day, device count and handle. Nothing else
 * exists to disclose; the server tests ({@code DataInventoryTest}) classify every stored column and
 * fail if that stops being true. Thread-safe.
 */
public final class Disclosure {
  /**
   * What is disclosed. Dates are UTC days: the server keeps no finer times about people.
   *
   * @param handle the public handle, or null when the account has none
   */
  public record Report(
      AccountId accountId, LocalDate created, LocalDate lastSeen, int deviceCount, String handle) {}

  private final AccountStore accounts;
  private final DeviceStore devices;

  /** Disclosure over the stores. */
  public Disclosure(AccountStore accounts, DeviceStore devices) {
    this.accounts = accounts;
    this.devices = devices;
  }

  /**
   * The report for {@code account} (a UUID, or a handle in any case); empty when no such account
   * exists.
   *
   * @throws IllegalArgumentException {@code account} is neither a UUID nor a valid handle
   */
  public Optional<Report> find(String account) {
    java.util.Objects.requireNonNull(account, "account");
    Optional<AccountId> id = parse(account);
    if (id.isEmpty()) {
      String handle;
      try {
        handle = ApiChecks.handle(account, "ACCOUNT");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ACCOUNT must be an account UUID or a handle");
      }
      id = accounts.findByHandle(handle);
    }
    return id.flatMap(accounts::find).map(this::report);
  }

  private Report report(AccountRecord a) {
    return new Report(
        a.id(),
        LocalDate.ofEpochDay(a.createdDay()),
        LocalDate.ofEpochDay(a.lastSeenDay()),
        devices.devices(a.id()).size(),
        a.handle());
  }

  private static Optional<AccountId> parse(String text) {
    try {
      return Optional.of(AccountId.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The report for {@code account} from the database in {@code dataDir}, which must exist (a
   * running server may be using it).
   */
  public static Optional<Report> of(Path dataDir, String account) {
    try (SqliteDatabase db = DataFolder.open(dataDir, false)) {
      return new Disclosure(new SqliteAccountStore(db), new SqliteDeviceStore(db)).find(account);
    }
  }

  /**
   * The report for {@code account} from the database {@code config} names: PostgreSQL when {@link
   * ServerConfig#dbUrl()} is set, else the SQLite database in the data folder, which must exist.
   */
  public static Optional<Report> of(ServerConfig config, String account) {
    if (config.dbUrl() == null) {
      return of(config.dataDir(), account);
    }
    try (Stores stores = Stores.open(config)) {
      return new Disclosure(stores.accounts(), stores.devices()).find(account);
    }
  }
}
