package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {
  private static final String ACCOUNT = "alice";
  private final SecureRandom rng = new SecureRandom();
  @TempDir Path temp;

  private Path folder() {
    return temp.resolve("data");
  }

  private StoredMessage message(String text) {
    Instant t = Instant.parse("2026-11-26T12:00:00Z");
    return new StoredMessage(
        UUID.randomUUID(),
        "bob",
        "bob",
        1,
        t,
        t,
        text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Creates a store with some content, closes it. */
  private StoredMessage populated(char[] passphrase) throws Exception {
    StoredMessage m = message("hello");
    try (LocalStore store = LocalStore.create(folder(), ACCOUNT, passphrase, rng)) {
      assertTrue(store.history().add(m));
    }
    return m;
  }

  @Test
  void create_thenReopen_keepsData() throws Exception {
    StoredMessage m = populated(null);
    try (LocalStore store = LocalStore.open(folder(), ACCOUNT, null, rng)) {
      assertEquals(m, store.history().get(m.guid()).orElseThrow());
    }
    assertFalse(LocalStore.needsPassphrase(folder(), ACCOUNT));
  }

  @Test
  void create_withPassphrase_reopensWithIt() throws Exception {
    StoredMessage m = populated("correct horse".toCharArray());
    assertTrue(LocalStore.needsPassphrase(folder(), ACCOUNT));
    try (LocalStore store =
        LocalStore.open(folder(), ACCOUNT, "correct horse".toCharArray(), rng)) {
      assertEquals(m, store.history().get(m.guid()).orElseThrow());
    }
  }

  @Test
  void open_wrongPassphrase_throwsAndLeavesFilesUnchanged() throws Exception {
    populated("correct horse".toCharArray());
    Map<String, byte[]> before = Files2.snapshot(folder());
    assertThrows(
        WrongPassphraseException.class,
        () -> LocalStore.open(folder(), ACCOUNT, "wrong horse".toCharArray(), rng));
    assertThrows(
        WrongPassphraseException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
    Map<String, byte[]> after = Files2.snapshot(folder());
    assertEquals(before.keySet(), after.keySet());
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name), after.get(name), name);
    }
  }

  @Test
  void open_passphraseForStoreWithout_throwsWrongPassphrase() throws Exception {
    populated(null);
    assertThrows(
        WrongPassphraseException.class,
        () -> LocalStore.open(folder(), ACCOUNT, "anything".toCharArray(), rng));
  }

  @Test
  void changePassphrase_setChangeRemove_eachOpensOnlyWithTheCurrentOne() throws Exception {
    StoredMessage m = populated(null);
    try (LocalStore store = LocalStore.open(folder(), ACCOUNT, null, rng)) {
      store.changePassphrase("first".toCharArray());
    }
    assertThrows(
        WrongPassphraseException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
    try (LocalStore store = LocalStore.open(folder(), ACCOUNT, "first".toCharArray(), rng)) {
      store.changePassphrase("second".toCharArray());
    }
    assertThrows(
        WrongPassphraseException.class,
        () -> LocalStore.open(folder(), ACCOUNT, "first".toCharArray(), rng));
    try (LocalStore store = LocalStore.open(folder(), ACCOUNT, "second".toCharArray(), rng)) {
      store.changePassphrase(null);
    }
    try (LocalStore store = LocalStore.open(folder(), ACCOUNT, null, rng)) {
      assertEquals(m, store.history().get(m.guid()).orElseThrow());
    }
    assertFalse(Files.exists(folder().resolve(ACCOUNT + ".key.tmp")));
  }

  @Test
  void create_whenStoreExists_throwsAndKeepsIt() throws Exception {
    StoredMessage m = populated(null);
    assertThrows(StorageException.class, () -> LocalStore.create(folder(), ACCOUNT, null, rng));
    try (LocalStore store = LocalStore.open(folder(), ACCOUNT, null, rng)) {
      assertTrue(store.history().hasSeen(m.guid()));
    }
  }

  @Test
  void open_noStore_throwsStorageExceptionAndCreatesNothing() throws Exception {
    Files.createDirectories(folder());
    StorageException e =
        assertThrows(StorageException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
    assertFalse(e instanceof CorruptStoreException);
    assertTrue(Files2.snapshot(folder()).isEmpty());
  }

  @Test
  void open_missingKeyFile_throwsCorrupt() throws Exception {
    populated(null);
    Files.delete(folder().resolve(ACCOUNT + LocalStore.KEY_SUFFIX));
    assertThrows(CorruptStoreException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
  }

  @Test
  void open_missingDatabase_throwsCorrupt() throws Exception {
    populated(null);
    Files.delete(folder().resolve(ACCOUNT + LocalStore.DATABASE_SUFFIX));
    assertThrows(CorruptStoreException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
  }

  @Test
  void open_keyFileWithFlippedByte_throwsCorrupt() throws Exception {
    for (char[] passphrase : new char[][] {null, "pw".toCharArray()}) {
      Path key = folder().resolve(ACCOUNT + LocalStore.KEY_SUFFIX);
      populated(passphrase);
      byte[] b = Files.readAllBytes(key);
      b[b.length / 2] ^= 0x01;
      Files.write(key, b);
      assertThrows(
          CorruptStoreException.class, () -> LocalStore.open(folder(), ACCOUNT, passphrase, rng));
      deleteStore();
    }
  }

  @Test
  void open_truncatedKeyFile_throwsCorrupt() throws Exception {
    Path key = folder().resolve(ACCOUNT + LocalStore.KEY_SUFFIX);
    populated("pw".toCharArray());
    byte[] b = Files.readAllBytes(key);
    for (int length : new int[] {0, 5, b.length - 1}) {
      Files.write(key, Arrays.copyOf(b, length));
      assertThrows(
          CorruptStoreException.class,
          () -> LocalStore.open(folder(), ACCOUNT, "pw".toCharArray(), rng),
          "length " + length);
    }
  }

  @Test
  void open_keyFileOfAnotherStore_throwsCorrupt() throws Exception {
    populated(null);
    try (LocalStore other = LocalStore.create(folder(), "other", null, rng)) {
      // only its key file is needed
    }
    Files.copy(
        folder().resolve("other" + LocalStore.KEY_SUFFIX),
        folder().resolve(ACCOUNT + LocalStore.KEY_SUFFIX),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThrows(CorruptStoreException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
  }

  @Test
  void open_truncatedDatabase_throwsCorrupt() throws Exception {
    populated(null);
    Path db = folder().resolve(ACCOUNT + LocalStore.DATABASE_SUFFIX);
    byte[] b = Files.readAllBytes(db);
    assertTrue(b.length > 4096, "the test needs a database of several pages");
    for (int length : new int[] {0, 10, b.length / 2}) {
      Files.write(db, Arrays.copyOf(b, length));
      assertThrows(
          CorruptStoreException.class,
          () -> LocalStore.open(folder(), ACCOUNT, null, rng),
          "length " + length);
    }
  }

  @Test
  void open_databaseWithOverwrittenPages_throwsCorrupt() throws Exception {
    populated(null);
    Path db = folder().resolve(ACCOUNT + LocalStore.DATABASE_SUFFIX);
    long length = Files.size(db);
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      // Page 2 onwards: the schema's b-tree pages. Fill one page with garbage.
      byte[] garbage = new byte[4096];
      new SecureRandom().nextBytes(garbage);
      f.seek(Math.min(4096, length - garbage.length));
      f.write(garbage);
    }
    assertThrows(CorruptStoreException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
  }

  @Test
  void createAndOpen_filesAreOwnerOnly() throws Exception {
    assumeTrue(FilePermissions.posix(), "POSIX file system");
    Path folder = folder().resolve("nested");
    try (LocalStore store = LocalStore.create(folder, ACCOUNT, null, rng)) {
      store.history().add(message("x"));
      assertEquals("rwx------", perms(folder));
      assertEquals("rwx------", perms(folder.getParent()));
      for (Path p : Files2.snapshot(folder).keySet().stream().map(folder::resolve).toList()) {
        assertEquals("rw-------", perms(p), p.getFileName().toString());
      }
      assertTrue(Files.exists(folder.resolve(ACCOUNT + ".db-wal")), "WAL mode");
    }
    Path db = folder.resolve(ACCOUNT + LocalStore.DATABASE_SUFFIX);
    Path key = folder.resolve(ACCOUNT + LocalStore.KEY_SUFFIX);
    assertEquals("rw-------", perms(db));
    assertEquals("rw-------", perms(key));
    // Loosened by hand (e.g. a copy): opening tightens them again.
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    try (LocalStore store = LocalStore.open(folder, ACCOUNT, null, rng)) {
      assertEquals("rw-------", perms(db));
      assertEquals("rw-------", perms(key));
    }
  }

  @Test
  void create_badAccountName_throwsIllegalArgument() {
    for (String name : new String[] {"", "../x", ".hidden", "a/b", "a b"}) {
      assertThrows(
          IllegalArgumentException.class, () -> LocalStore.create(folder(), name, null, rng), name);
    }
  }

  @Test
  void close_thenUse_throwsStorageException() throws Exception {
    LocalStore store = LocalStore.create(folder(), ACCOUNT, null, rng);
    HistoryStore history = store.history();
    store.close();
    assertThrows(StorageException.class, () -> history.hasSeen(UUID.randomUUID()));
  }

  @Test
  void toString_showsNoSecrets() throws Exception {
    try (LocalStore store = LocalStore.create(folder(), ACCOUNT, null, rng)) {
      assertEquals("LocalStore[alice.db]", store.toString());
    }
  }

  @Test
  void open_whileOpen_throwsStoreLockedUntilClosed() throws Exception {
    populated(null);
    try (LocalStore first = LocalStore.open(folder(), ACCOUNT, null, rng)) {
      assertThrows(StoreLockedException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
      assertThrows(
          StoreLockedException.class, () -> LocalStore.create(folder(), ACCOUNT, null, rng));
      assertFalse(first.history().hasSeen(UUID.randomUUID()), "the first one still works");
    }
    try (LocalStore again = LocalStore.open(folder(), ACCOUNT, null, rng)) {
      again.close();
      again.close(); // a second close must not release a lock taken by someone else meanwhile
      try (LocalStore third = LocalStore.open(folder(), ACCOUNT, null, rng)) {
        again.close();
        assertThrows(
            StoreLockedException.class, () -> LocalStore.open(folder(), ACCOUNT, null, rng));
      }
    }
  }

  private static String perms(Path p) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private void deleteStore() throws java.io.IOException {
    for (String name : Files2.snapshot(folder()).keySet()) {
      Files.delete(folder().resolve(name));
    }
  }
}
