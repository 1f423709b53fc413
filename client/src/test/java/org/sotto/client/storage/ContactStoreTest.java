package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactStoreTest {
  private final SecureRandom rng = new SecureRandom();
  @TempDir Path folder;

  private Contact contact(String handle, String name) {
    byte[] uak = new byte[16];
    rng.nextBytes(uak);
    return new Contact(
        UUID.randomUUID(),
        Optional.of(handle),
        Optional.of(name),
        Optional.of(SecretBytes.copyOf(uak)));
  }

  @Test
  void put_thenGetByIdAndHandle_afterReopen() throws Exception {
    Contact bob = contact("bob", "Bob B.");
    Contact bare =
        new Contact(UUID.randomUUID(), Optional.empty(), Optional.empty(), Optional.empty());
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.contacts().put(bob);
      store.contacts().put(bare);
    }
    try (LocalStore store = LocalStore.open(folder, "a", null, rng)) {
      assertEquals(bob, store.contacts().get(bob.accountId()).orElseThrow());
      assertEquals(bob, store.contacts().byHandle("bob").orElseThrow());
      assertEquals(bare, store.contacts().get(bare.accountId()).orElseThrow());
      assertEquals(2, store.contacts().all().size());
      assertTrue(store.contacts().byHandle("nobody").isEmpty());
    }
  }

  @Test
  void put_existing_replacesAndRemoveForgets() throws Exception {
    Contact bob = contact("bob", "Bob");
    Contact renamed =
        new Contact(bob.accountId(), Optional.of("bobby"), Optional.of("Robert"), Optional.empty());
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.contacts().put(bob);
      store.contacts().put(renamed);
      assertEquals(List.of(renamed), store.contacts().all());
      assertTrue(store.contacts().byHandle("bob").isEmpty());
      assertTrue(store.contacts().remove(bob.accountId()));
      assertFalse(store.contacts().remove(bob.accountId()));
    }
  }

  @Test
  void accessKeySwappedBetweenContacts_failsAsCorrupt() throws Exception {
    Contact bob = contact("bob", "Bob");
    Contact carol = contact("carol", "Carol");
    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      store.contacts().put(bob);
      store.contacts().put(carol);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("a.db"));
        Statement st = c.createStatement()) {
      assertEquals(
          1,
          st.executeUpdate(
              "UPDATE contacts SET uak_enc = (SELECT uak_enc FROM contacts WHERE handle = 'bob')"
                  + " WHERE handle = 'carol'"));
    }
    try (LocalStore store = LocalStore.open(folder, "a", null, rng)) {
      assertEquals(bob, store.contacts().byHandle("bob").orElseThrow());
      assertThrows(CorruptStoreException.class, () -> store.contacts().byHandle("carol"));
    }
  }

  @Test
  void toString_hidesProfileNameAndAccessKey() {
    Contact bob = contact("bob", "Very Private Name");
    assertFalse(bob.toString().contains("Private"));
    assertEquals("SecretBytes[redacted]", bob.unidentifiedAccessKey().orElseThrow().toString());
  }
}
