package org.sotto.server.store.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.server.certs.ServerKeys;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.NewDevice;
import org.sotto.server.store.StoreException;
import org.sotto.server.testing.PostgresTestDatabase;
import org.sotto.server.testing.TestDevice;

/**
 * What only a shared PostgreSQL database needs: migrating once when nodes start together, shared
 * server keys, clear errors when it is unreachable, and recovery after it drops every connection.
 */
class PostgresDatabaseIntegrationTest {
  @Test
  void open_twoNodesAtOnceOnEmptyDatabase_migrateExactlyOnce() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create()) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PostgresDatabase>> opened = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        opened.add(
            pool.submit(
                () -> {
                  go.await();
                  return PostgresDatabase.open(database.url(), database.user(), null);
                }));
      }
      go.countDown();
      PostgresDatabase a = opened.get(0).get();
      PostgresDatabase b = opened.get(1).get();
      pool.shutdown();
      try {
        assertEquals(PostgresMigrations.latest(), a.migrationsApplied() + b.migrationsApplied());
        assertTrue(a.migrationsApplied() == 0 || b.migrationsApplied() == 0);
        int rows =
            a.autoCommit(
                c -> {
                  try (PreparedStatement ps =
                          c.prepareStatement("SELECT count(*), max(version) FROM schema_version");
                      ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(PostgresMigrations.latest(), rs.getInt(2));
                    return rs.getInt(1);
                  }
                });
        assertEquals(PostgresMigrations.VERSIONS.size(), rows);
      } finally {
        a.close();
        b.close();
      }
      // A later start finds nothing to do.
      try (PostgresDatabase again = PostgresDatabase.open(database.url(), database.user(), null)) {
        assertEquals(0, again.migrationsApplied());
      }
    }
  }

  @Test
  void serverKeys_twoNodesStartingTogether_shareOneTrustRootAndKey() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        PostgresDatabase a = PostgresDatabase.open(database.url(), database.user(), null);
        PostgresDatabase b = PostgresDatabase.open(database.url(), database.user(), null)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch go = new CountDownLatch(1);
      Future<ServerKeys> ka =
          pool.submit(
              () -> {
                go.await();
                return ServerKeys.loadOrCreate(new PostgresServerKeys(a), new SecureRandom());
              });
      Future<ServerKeys> kb =
          pool.submit(
              () -> {
                go.await();
                return ServerKeys.loadOrCreate(new PostgresServerKeys(b), new SecureRandom());
              });
      go.countDown();
      ServerKeys first = ka.get();
      ServerKeys second = kb.get();
      pool.shutdown();
      assertEquals(first.trustRoot(), second.trustRoot());
      assertArrayEquals(first.certificate().serialize(), second.certificate().serialize());
      ServerKeys later = ServerKeys.loadOrCreate(new PostgresServerKeys(a), new SecureRandom());
      assertEquals(first.trustRoot(), later.trustRoot());
      assertFalse(later.toString().contains("Material"));
    }
  }

  @Test
  void open_nothingListening_throwsUnreachableNamingHostPortNotPassword() {
    PostgresUnreachableException e =
        assertThrows(
            PostgresUnreachableException.class,
            () ->
                PostgresDatabase.open(
                    "postgresql://127.0.0.1:1/sotto", "sotto", "hunter2-secret", Duration.ZERO));
    assertTrue(e.getMessage().contains("127.0.0.1:1/sotto"), e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains("hunter2"), t.toString());
    }
  }

  @Test
  void open_missingDatabase_failsAtOnceWithServerReason() {
    String url = PostgresTestDatabase.DEFAULT_ADMIN_URL.replace("/postgres", "/no_such_db_x");
    StoreException e =
        assertThrows(StoreException.class, () -> PostgresDatabase.open(url, "postgres", null));
    assertFalse(e instanceof PostgresUnreachableException);
    assertTrue(e.getMessage().contains("no_such_db_x"), e.getMessage());
  }

  @Test
  void targetParse_acceptsBothFormsAndRefusesCredentialsAndOtherSchemes() {
    assertEquals(
        "jdbc:postgresql://db.example:5433/sotto",
        PostgresDatabase.Target.parse("postgresql://db.example:5433/sotto").jdbcUrl());
    assertEquals(
        "db.example:5432/sotto",
        PostgresDatabase.Target.parse("jdbc:postgresql://db.example/sotto").where());
    assertThrows(
        IllegalArgumentException.class,
        () -> PostgresDatabase.Target.parse("postgresql://u:pw@db.example/sotto"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PostgresDatabase.Target.parse("postgresql://db.example/sotto?user=u&password=pw"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PostgresDatabase.Target.parse("mysql://db.example/sotto"));
    assertThrows(
        IllegalArgumentException.class, () -> PostgresDatabase.Target.parse("postgresql://db/"));
  }

  @Test
  void sessionsTerminated_callsFailAsStoreExceptionOrSucceed_andThePoolRecovers() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        PostgresDatabase db = PostgresDatabase.open(database.url(), database.user(), null)) {
      PostgresAccountStore accounts = new PostgresAccountStore(db);
      AccountId id = AccountId.parse(UUID.randomUUID().toString());
      TestDevice d = TestDevice.generate();
      accounts.create(
          new AccountRecord(id, null, d.identity.identityKey().serialize(), 1, 1),
          new NewDevice(new byte[16], new byte[32], d.deviceKeys()));
      database.terminateSessions();
      int failures = 0;
      boolean found = false;
      for (int i = 0; i < 20 && !found; i++) {
        try {
          found = accounts.find(id).isPresent();
        } catch (StoreException e) {
          // The typed failure routes map to 503; anything else would escape as a 500.
          failures++;
        }
      }
      assertTrue(found, "recovered after " + failures + " failures");
    }
  }
}
