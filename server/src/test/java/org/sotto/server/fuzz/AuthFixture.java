package org.sotto.server.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.server.auth.Authenticator;
import org.sotto.server.auth.Secrets;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.NewDevice;
import org.sotto.server.store.sqlite.SqliteAccountStore;
import org.sotto.server.store.sqlite.SqliteDatabase;
import org.sotto.server.store.sqlite.SqliteDeviceStore;
import org.sotto.server.testing.TestServer;

/**
 * One account with one device and a known secret in a real SQLite store, behind a real {@link
 * Authenticator}; the committed seeds carry these credentials. Built once per JVM, deleted when the
 * JVM exits. Thread-safe.
 */
final class AuthFixture {
  /** The seeds under AuthenticatorFuzzTestInputs use this account and secret. */
  static final Address ADDRESS =
      new Address(AccountId.parse("9d0652a3-dcc3-4d11-975f-74d61598733f"), DeviceId.PRIMARY);

  static final String SECRET = "fuzz-device-secret-0123456789";

  private static final class Holder {
    static final Authenticator INSTANCE = build();
  }

  private AuthFixture() {}

  static Authenticator authenticator() {
    return Holder.INSTANCE;
  }

  private static Authenticator build() {
    try {
      Path dir = Files.createTempDirectory("sotto-auth-fuzz");
      SqliteDatabase db = SqliteDatabase.open(dir);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    db.close();
                    try {
                      TestServer.deleteTree(dir);
                    } catch (Exception e) {
                      // the JVM is exiting; a temporary folder may be left
                    }
                  }));
      SqliteAccountStore accounts = new SqliteAccountStore(db);
      byte[] ec = filled(33, (byte) 0x05);
      byte[] kyber = filled(1569, (byte) 0x08);
      byte[] signature = new byte[64];
      DeviceKeys keys =
          new DeviceKeys(
              1,
              new SignedPreKey(1, ec, signature),
              new KyberPreKey(2, kyber, signature),
              List.of(new PreKey(3, ec)),
              List.of());
      byte[] salt = new byte[Secrets.SALT_BYTES];
      accounts.create(
          new AccountRecord(ADDRESS.account(), null, ec, 0, 0),
          new NewDevice(salt, Secrets.hash(salt, SECRET), keys));
      return new Authenticator(new SqliteDeviceStore(db), accounts, Clock.systemUTC());
    } catch (Exception e) {
      throw new AssertionError("cannot build the authenticator fixture", e);
    }
  }

  private static byte[] filled(int length, byte type) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) 0x11);
    b[0] = type;
    return b;
  }
}
