package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.util.KeyHelper;

/** The identity ledger, fed by {@link SqliteProtocolStore#saveIdentity}, and its persistence. */
class IdentityLedgerTest {
  private final SecureRandom rng = new SecureRandom();
  @TempDir Path folder;

  private IdentityKey newKey() {
    return IdentityKeyPair.generate(rng).identityKey();
  }

  @Test
  void saveIdentity_newKey_isLedgeredOnceAcrossDevices_andListed() throws Exception {
    String name = UUID.randomUUID().toString();
    IdentityKey key = newKey();
    try (LocalStore local = LocalStore.create(folder, "acct", null, rng)) {
      SqliteProtocolStore store =
          SqliteProtocolStore.create(
              local, IdentityKeyPair.generate(rng), KeyHelper.generateRegistrationId(rng));
      IdentityLedger ledger = new IdentityLedger(local);
      Instant before = Instant.now();

      store.saveIdentity(new ProtocolAddress(name, 1), key);
      IdentityLedger.Entry first = ledger.get(name).orElseThrow();
      store.saveIdentity(new ProtocolAddress(name, 2), key);

      assertEquals(first, ledger.get(name).orElseThrow(), "a second device keeps the entry");
      assertTrue(first.isFor(key));
      assertFalse(first.verified() || first.changeSeen());
      assertFalse(first.addedAt().isBefore(before.minusSeconds(1)));
      assertEquals(Map.of(name, key), store.trustedIdentities());
    }
  }

  @Test
  void verifiedThenChangeSeen_persists_andANewKeyStartsOver() throws Exception {
    String name = UUID.randomUUID().toString();
    IdentityKey key = newKey();
    Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
    try (LocalStore local = LocalStore.create(folder, "acct", null, rng)) {
      IdentityLedger ledger = new IdentityLedger(local);
      ledger.stored(name, key, t0);
      ledger.verified(name, key, t0.plusSeconds(60));
      ledger.changeSeen(name);
    }
    try (LocalStore local = LocalStore.open(folder, "acct", null, rng)) {
      IdentityLedger ledger = new IdentityLedger(local);
      IdentityLedger.Entry e = ledger.get(name).orElseThrow();
      assertEquals(t0, e.addedAt(), "verifying keeps the added time");
      assertTrue(e.verified() && e.changeSeen());

      IdentityKey other = newKey();
      assertFalse(e.isFor(other));
      ledger.stored(name, other, t0.plusSeconds(120));

      IdentityLedger.Entry fresh = ledger.get(name).orElseThrow();
      assertTrue(fresh.isFor(other));
      assertEquals(t0.plusSeconds(120), fresh.addedAt());
      assertFalse(fresh.verified() || fresh.changeSeen());
    }
  }

  @Test
  void changeSeen_withoutEntry_changesNothing() throws Exception {
    try (LocalStore local = LocalStore.create(folder, "acct", null, rng)) {
      IdentityLedger ledger = new IdentityLedger(local);
      ledger.changeSeen("nobody");
      assertTrue(ledger.get("nobody").isEmpty());
    }
  }
}
