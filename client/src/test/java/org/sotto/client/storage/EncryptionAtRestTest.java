package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.util.KeyHelper;

/** Scans the raw bytes of every store file for secrets that must only exist encrypted there. */
class EncryptionAtRestTest {
  private static final String MESSAGE = "the eagle lands at dawn, gate 7391";
  private static final String PROFILE_NAME = "Zebediah Quaintrelle";
  private final SecureRandom rng = new SecureRandom();
  @TempDir Path folder;

  @Test
  void storeFiles_openAndClosed_containNoPlaintextSecrets() throws Exception {
    IdentityKeyPair identity = IdentityKeyPair.generate(rng);
    byte[] identityPrivate = identity.privateKey().serialize();
    PreKeyRecord preKey = KeyHelper.generatePreKey(1, rng);
    byte[] preKeyPrivate = preKey.keyPair().privateKey().serialize();
    byte[] uak = new byte[16];
    rng.nextBytes(uak);
    byte[] message = MESSAGE.getBytes(StandardCharsets.UTF_8);
    byte[] profileName = PROFILE_NAME.getBytes(StandardCharsets.UTF_8);

    try (LocalStore store = LocalStore.create(folder, "a", null, rng)) {
      SqliteProtocolStore protocol = SqliteProtocolStore.create(store, identity, 42);
      protocol.storePreKey(1, preKey);
      Instant t = Instant.parse("2026-11-26T12:00:00Z");
      store.history().add(new StoredMessage(UUID.randomUUID(), "bob", "bob", 1, t, t, message));
      store
          .contacts()
          .put(
              new Contact(
                  UUID.randomUUID(),
                  Optional.of("handle-in-clear"),
                  Optional.of(PROFILE_NAME),
                  Optional.of(SecretBytes.copyOf(uak))));
      // The scan finds what is stored in the clear (so a miss below means something).
      assertTrue(
          Files2.anyFileContains(folder, "handle-in-clear".getBytes(StandardCharsets.UTF_8)));
      assertSecretsAbsent(message, identityPrivate, preKeyPrivate, uak, profileName);
    }
    assertSecretsAbsent(message, identityPrivate, preKeyPrivate, uak, profileName);
    // Without a passphrase the key file holds the data key; the database never does.
    byte[] dataKey = KeyFile.read(folder.resolve("a" + LocalStore.KEY_SUFFIX), null).bytes();
    byte[] db = Files.readAllBytes(folder.resolve("a" + LocalStore.DATABASE_SUFFIX));
    assertTrue(Files2.indexOf(db, "handle-in-clear".getBytes(StandardCharsets.UTF_8)) >= 0);
    assertFalse(Files2.indexOf(db, dataKey) >= 0);
  }

  @Test
  void keyFile_withPassphrase_doesNotContainTheDataKey() throws Exception {
    try (LocalStore store = LocalStore.create(folder, "a", "pw".toCharArray(), rng)) {
      // empty store
    }
    byte[] dataKey =
        KeyFile.read(folder.resolve("a" + LocalStore.KEY_SUFFIX), "pw".toCharArray()).bytes();
    assertFalse(Files2.anyFileContains(folder, dataKey));
  }

  private void assertSecretsAbsent(byte[]... secrets) throws Exception {
    for (int i = 0; i < secrets.length; i++) {
      assertFalse(Files2.anyFileContains(folder, secrets[i]), "secret #" + i + " in the clear");
    }
  }
}
