package org.sotto.server.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.server.http.ApiException;
import org.sotto.server.store.AttachmentStore;
import org.sotto.server.store.jdbc.JdbcAttachmentStore;
import org.sotto.server.store.sqlite.SqliteDatabase;
import org.sotto.server.testing.MutableClock;

class AttachmentManagerIntegrationTest {
  @TempDir Path dir;
  SqliteDatabase db;
  AttachmentStore store;
  MutableClock clock;
  AttachmentManager manager;

  @BeforeEach
  void open() throws IOException {
    db = SqliteDatabase.open(dir);
    store = new JdbcAttachmentStore(db.sql());
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    manager = new AttachmentManager(store, dir, 1000, new SecureRandom(), clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Path file(String id) {
    return dir.resolve(AttachmentFiles.DIRECTORY).resolve(id);
  }

  @Test
  void upload_bodyBreaksOff_keepsWhatArrivedAndResumes() throws IOException {
    String id = manager.create(100).id();
    InputStream breaking =
        new InputStream() {
          int sent;

          @Override
          public int read() throws IOException {
            if (sent == 30) {
              throw new IOException("connection reset");
            }
            sent++;
            return 7;
          }
        };
    ApiException e = assertThrows(ApiException.class, () -> manager.upload(id, 0, -1, breaking));
    assertEquals(400, e.status());
    assertEquals("30", e.headers().get(AttachmentManager.UPLOAD_OFFSET));
    assertEquals(30, manager.status(id).received());
    assertEquals(100, manager.upload(id, 30, 70, new ByteArrayInputStream(new byte[70])));
    assertTrue(manager.status(id).complete());
  }

  @Test
  void upload_chunkedBodyBeyondLength_413AndNothingKept() throws IOException {
    String id = manager.create(10).id();
    manager.upload(id, 0, -1, new ByteArrayInputStream(new byte[4]));
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> manager.upload(id, 4, -1, new ByteArrayInputStream(new byte[7])));
    assertEquals(413, e.status());
    assertEquals(4, manager.status(id).received());
    assertEquals(4, Files.size(file(id)));
  }

  @Test
  void status_fileLongerThanRow_cutsFileToRow() throws IOException {
    String id = manager.create(100).id();
    manager.upload(id, 0, 10, new ByteArrayInputStream(new byte[10]));
    // A chunk written after the last row update, then a crash: the file has 25 bytes, the row 10.
    Files.write(file(id), new byte[15], java.nio.file.StandardOpenOption.APPEND);
    assertEquals(10, manager.status(id).received());
    assertEquals(10, Files.size(file(id)));
  }

  @Test
  void status_rowLongerThanFile_lowersRowToFile() throws IOException {
    String id = manager.create(100).id();
    manager.upload(id, 0, 10, new ByteArrayInputStream(new byte[10]));
    try (var ch =
        java.nio.channels.FileChannel.open(file(id), java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(6);
    }
    assertEquals(6, manager.status(id).received());
    assertEquals(6, store.find(id).orElseThrow().received());
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> manager.upload(id, 10, 1, new ByteArrayInputStream(new byte[1])));
    assertEquals(409, e.status());
    assertEquals("6", e.headers().get(AttachmentManager.UPLOAD_OFFSET));
  }

  @Test
  void download_completeFile_servesExactBytes() throws IOException {
    String id = manager.create(5).id();
    byte[] data = {1, 2, 3, 4, 5};
    manager.upload(id, 0, 5, new ByteArrayInputStream(data));
    AttachmentManager.Download d = manager.download(id);
    assertEquals(5, d.length());
    assertArrayEquals(data, Files.readAllBytes(d.file()));
  }

  @Test
  void sweep_after30Days_deletesFileAndRow_keepsYounger() throws IOException {
    String old = manager.create(3).id();
    manager.upload(old, 0, 3, new ByteArrayInputStream(new byte[3]));
    clock.advance(Duration.ofDays(29));
    String young = manager.create(3).id();
    manager.upload(young, 0, 3, new ByteArrayInputStream(new byte[3]));
    assertEquals(0, manager.sweep());
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    assertEquals(1, manager.sweep());
    assertFalse(Files.exists(file(old)));
    assertTrue(store.find(old).isEmpty());
    assertTrue(Files.exists(file(young)));
    assertTrue(store.find(young).isPresent());
  }

  @Test
  void sweep_strayFileWithoutRow_deletedAfterGrace() throws IOException {
    String stray = AttachmentIds.random(new SecureRandom());
    Files.write(file(stray), new byte[3]);
    Files.setLastModifiedTime(file(stray), FileTime.from(clock.instant()));
    manager.sweep();
    assertTrue(Files.exists(file(stray)));
    clock.advance(AttachmentManager.ORPHAN_GRACE.plusMinutes(1));
    manager.sweep();
    assertFalse(Files.exists(file(stray)));
  }

  @Test
  void files_ownerOnlyPermissions() throws IOException {
    String id = manager.create(3).id();
    manager.upload(id, 0, 3, new ByteArrayInputStream(new byte[3]));
    if (org.sotto.server.files.PrivateFiles.posix(dir)) {
      assertEquals(
          org.sotto.server.files.PrivateFiles.FILE, Files.getPosixFilePermissions(file(id)));
      assertEquals(
          org.sotto.server.files.PrivateFiles.DIRECTORY,
          Files.getPosixFilePermissions(dir.resolve(AttachmentFiles.DIRECTORY)));
    }
  }

  @Test
  void ids_random_matchPatternAndDiffer() {
    SecureRandom r = new SecureRandom();
    String a = AttachmentIds.random(r);
    String b = AttachmentIds.random(r);
    assertTrue(AttachmentIds.valid(a));
    assertFalse(a.equals(b));
    for (String bad :
        Arrays.asList(
            null, "", "..", "../" + a.substring(3), a + "x", a.replace(a.charAt(0), '.'))) {
      assertFalse(AttachmentIds.valid(bad), String.valueOf(bad));
    }
  }
}
