package org.sotto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.NewDevice;
import org.sotto.server.store.sqlite.SqliteAccountStore;
import org.sotto.server.store.sqlite.SqliteDatabase;
import org.sotto.server.store.sqlite.SqliteDeviceStore;

class AuthenticatorLastSeenTest {
  private static final Address DEVICE =
      new Address(AccountId.parse("0b7d3c1e-5a4f-4c2b-9e8d-7f6a5b4c3d2e"), DeviceId.PRIMARY);
  private static final String SECRET = "last-seen-test-secret-0123456789";
  private static final long DAY_MS = 86_400_000L;

  @TempDir Path dir;

  /** A clock whose instant the test moves. */
  private static final class MovableClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-27T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void device_manyRequestsInOneDay_touchesLastSeenOncePerDay() throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(dir)) {
      SqliteAccountStore real = new SqliteAccountStore(db);
      byte[] ec = filled(33, (byte) 0x05);
      byte[] signature = new byte[64];
      byte[] salt = new byte[Secrets.SALT_BYTES];
      real.create(
          new AccountRecord(DEVICE.account(), null, ec, 0, 0),
          new NewDevice(
              salt,
              Secrets.hash(salt, SECRET),
              new DeviceKeys(
                  1,
                  new SignedPreKey(1, ec, signature),
                  new KyberPreKey(2, filled(1569, (byte) 0x08), signature),
                  List.of(new PreKey(3, ec)),
                  List.of())));
      AtomicInteger touches = new AtomicInteger();
      AccountStore counting =
          (AccountStore)
              Proxy.newProxyInstance(
                  AccountStore.class.getClassLoader(),
                  new Class<?>[] {AccountStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("touch")) {
                      touches.incrementAndGet();
                    }
                    try {
                      return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      MovableClock clock = new MovableClock();
      Authenticator auth = new Authenticator(new SqliteDeviceStore(db), counting, clock);
      String header =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (DEVICE.account() + "." + DEVICE.device().value() + ":" + SECRET)
                          .getBytes(StandardCharsets.UTF_8));

      for (int i = 0; i < 5; i++) {
        assertEquals(DEVICE, auth.device(header).orElseThrow());
      }
      long today = clock.millis() / DAY_MS;
      assertEquals(1, touches.get(), "one touch for five requests on the same day");
      assertEquals(today, lastSeenDay(real, today));

      clock.now = clock.now.plus(Duration.ofDays(1));
      assertTrue(auth.device(header).isPresent());
      assertTrue(auth.device(header).isPresent());
      assertEquals(2, touches.get(), "the next day touches once more");
      assertEquals(today + 1, lastSeenDay(real, today + 1));
    }
  }

  /** The stored last-seen day once it is {@code expected} (the store writes it asynchronously). */
  private static long lastSeenDay(AccountStore store, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    long day;
    while ((day = store.find(DEVICE.account()).orElseThrow().lastSeenDay()) != expected
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return day;
  }

  private static byte[] filled(int length, byte type) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) 0x11);
    b[0] = type;
    return b;
  }
}
