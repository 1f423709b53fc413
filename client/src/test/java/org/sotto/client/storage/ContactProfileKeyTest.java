package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contacts' profile keys: the column added by migration 2, encrypted and bound to its row. */
class ContactProfileKeyTest {
  private final SecureRandom rng = new SecureRandom();
  @TempDir Path folder;

  private SecretBytes random(int n) {
    byte[] b = new byte[n];
    rng.nextBytes(b);
    return SecretBytes.copyOf(b);
  }

  @Test
  void putProfileKey_newContact_isReadAfterReopenWithItsToken() throws Exception {
    UUID id = UUID.randomUUID();
    SecretBytes key = random(32);
    SecretBytes token = random(16);
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      assertTrue(store.contacts().profileKey(id).isEmpty());
      store.contacts().putProfileKey(id, key, token);
    }
    try (LocalStore store = LocalStore.open(folder, "a", null, rng)) {
      assertEquals(key, store.contacts().profileKey(id).orElseThrow());
      Contact c = store.contacts().get(id).orElseThrow();
      assertEquals(token, c.unidentifiedAccessKey().orElseThrow());
      assertTrue(c.handle().isEmpty());
    }
  }

  @Test
  void putProfileKey_changedKey_replacesOldAndPutKeepsIt() throws Exception {
    UUID id = UUID.randomUUID();
    SecretBytes newer = random(32);
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.contacts().put(new Contact(id, Optional.of("bob"), Optional.empty(), Optional.empty()));
      store.contacts().putProfileKey(id, random(32), random(16));
      store.contacts().putProfileKey(id, newer, random(16));
      // Rewriting the handle (as Recipients does) leaves the profile key alone.
      store
          .contacts()
          .put(new Contact(id, Optional.of("bobby"), Optional.empty(), Optional.empty()));
      assertEquals(newer, store.contacts().profileKey(id).orElseThrow());
      assertEquals("bobby", store.contacts().get(id).orElseThrow().handle().orElseThrow());
    }
  }

  @Test
  void forgetProfileKey_known_clearsKeyTokenAndName() throws Exception {
    UUID id = UUID.randomUUID();
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store
          .contacts()
          .put(new Contact(id, Optional.of("bob"), Optional.of("Bob"), Optional.empty()));
      store.contacts().putProfileKey(id, random(32), random(16));
      assertTrue(store.contacts().forgetProfileKey(id));
      assertFalse(store.contacts().forgetProfileKey(id));
      Contact c = store.contacts().get(id).orElseThrow();
      assertTrue(store.contacts().profileKey(id).isEmpty());
      assertTrue(c.unidentifiedAccessKey().isEmpty());
      assertTrue(c.profileName().isEmpty());
      assertEquals("bob", c.handle().orElseThrow());
    }
  }

  @Test
  void profileKey_stored_isNotInTheDatabaseInTheClear() throws Exception {
    UUID id = UUID.randomUUID();
    SecretBytes key = random(32);
    Path db;
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.contacts().putProfileKey(id, key, random(16));
      db = store.databaseFile();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT profile_key_enc FROM contacts")) {
      assertTrue(rs.next());
      byte[] stored = rs.getBytes(1);
      assertFalse(java.util.Arrays.equals(stored, key.bytes()));
      assertFalse(contains(stored, key.bytes()));
    }
  }

  @Test
  void open_storeFromSchemaVersion2_migratesAndKeepsContacts() throws Exception {
    UUID id = UUID.randomUUID();
    Contact bob = new Contact(id, Optional.of("bob"), Optional.of("Bob"), Optional.empty());
    Path db;
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.contacts().put(bob);
      db = store.databaseFile();
    }
    // Turn the file back into a version-2 store: no profile key column.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("ALTER TABLE contacts DROP COLUMN profile_key_enc");
      st.execute("PRAGMA user_version = 2");
    }
    try (LocalStore store = LocalStore.open(folder, "a", null, rng)) {
      assertEquals(bob, store.contacts().get(id).orElseThrow());
      assertTrue(store.contacts().profileKey(id).isEmpty());
      SecretBytes key = random(32);
      store.contacts().putProfileKey(id, key, random(16));
      assertEquals(key, store.contacts().profileKey(id).orElseThrow());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      assertTrue(rs.next());
      assertEquals(Migrations.latest(), rs.getInt(1));
      assertEquals(3, rs.getInt(1));
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void profileKey_readInsideARolledBackUnit_isNotRemembered() throws Exception {
    UUID id = UUID.randomUUID();
    SecretBytes committed = random(32);
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.contacts().putProfileKey(id, committed, random(16));
      assertEquals(committed, store.contacts().profileKey(id).orElseThrow());
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  store.atomically(
                      () -> {
                        store.contacts().putProfileKey(id, random(32), random(16));
                        store.contacts().profileKey(id); // cached inside the unit
                        throw new IllegalStateException("unit fails");
                      }));
      assertEquals("unit fails", e.getMessage());
      assertEquals(committed, store.contacts().profileKey(id).orElseThrow());
    }
  }

  @Test
  void profileKey_afterForgetAndRemove_isEmptyWithoutReopening() throws Exception {
    UUID id = UUID.randomUUID();
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      assertTrue(store.contacts().profileKey(id).isEmpty(), "unknown contact");
      store.contacts().putProfileKey(id, random(32), random(16));
      assertTrue(store.contacts().profileKey(id).isPresent(), "known after put");
      assertTrue(store.contacts().forgetProfileKey(id));
      assertTrue(store.contacts().profileKey(id).isEmpty(), "forgotten");
      SecretBytes again = random(32);
      store.contacts().putProfileKey(id, again, random(16));
      assertEquals(again, store.contacts().profileKey(id).orElseThrow());
      assertTrue(store.contacts().remove(id));
      assertTrue(store.contacts().profileKey(id).isEmpty(), "removed with its contact");
    }
  }
}
