package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentCipherTest {
  @TempDir Path dir;

  private final SecureRandom rng = new SecureRandom();

  private Path randomFile(String name, int size) throws Exception {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return Files.write(dir.resolve(name), b);
  }

  @Test
  void encryptThenDecrypt_roundTripsWithFormatSizes() throws Exception {
    for (int size : new int[] {0, 1, 15, 16, 17, 200_000}) {
      Path plain = randomFile("p" + size, size);
      Path blob = Files.createFile(dir.resolve("b" + size));
      AttachmentCipher.Encrypted e = AttachmentCipher.encrypt(plain, blob, rng);
      assertEquals(size, e.plainSize());
      assertEquals(AttachmentCipher.blobSize(size), Files.size(blob));
      assertEquals(Files.size(blob), e.blobSize());
      assertArrayEquals(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(blob)), e.digest());
      Path out = Files.createFile(dir.resolve("o" + size));
      assertEquals(size, AttachmentCipher.decrypt(blob, e.key(), e.digest(), out));
      assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(out));
    }
  }

  @Test
  void decrypt_flippedByte_throwsAndWritesNothing() throws Exception {
    Path blob = Files.createFile(dir.resolve("b"));
    AttachmentCipher.Encrypted e = AttachmentCipher.encrypt(randomFile("p", 1000), blob, rng);
    try (FileChannel ch =
        FileChannel.open(blob, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      ch.read(one, 500);
      one.put(0, (byte) (one.get(0) ^ 1));
      one.rewind();
      ch.write(one, 500);
    }
    Path out = Files.createFile(dir.resolve("o"));
    assertThrows(
        AttachmentCipher.InvalidAttachmentException.class,
        () -> AttachmentCipher.decrypt(blob, e.key(), e.digest(), out));
    assertEquals(0, Files.size(out));
  }

  @Test
  void decrypt_wrongKeyWithRightDigest_throwsAndWritesNothing() throws Exception {
    Path blob = Files.createFile(dir.resolve("b"));
    AttachmentCipher.Encrypted e = AttachmentCipher.encrypt(randomFile("p", 1000), blob, rng);
    byte[] wrong = e.key().clone();
    wrong[40] ^= 1; // a MAC key bit
    Path out = Files.createFile(dir.resolve("o"));
    assertThrows(
        AttachmentCipher.InvalidAttachmentException.class,
        () -> AttachmentCipher.decrypt(blob, wrong, e.digest(), out));
    assertEquals(0, Files.size(out));
  }

  @Test
  void decrypt_truncatedBlob_throws() throws Exception {
    Path blob = Files.createFile(dir.resolve("b"));
    AttachmentCipher.Encrypted e = AttachmentCipher.encrypt(randomFile("p", 100), blob, rng);
    try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(blob) - 5);
    }
    Path out = Files.createFile(dir.resolve("o"));
    assertThrows(
        AttachmentCipher.InvalidAttachmentException.class,
        () -> AttachmentCipher.decrypt(blob, e.key(), e.digest(), out));
  }

  @Test
  void safeName_stripsPathsControlsAndLeadingDots() {
    assertEquals("passwd", Attachments.safeName("../../etc/passwd"));
    assertEquals("x.txt", Attachments.safeName("C:\\\\evil\\\\x.txt"));
    assertEquals("bashrc", Attachments.safeName(".bashrc"));
    assertEquals("ab", Attachments.safeName("a\u0000\nb"));
    assertEquals("attachment", Attachments.safeName(".."));
    assertEquals("attachment", Attachments.safeName(null));
    assertEquals(Attachments.MAX_SAVED_NAME_CHARS, Attachments.safeName("a".repeat(500)).length());
  }
}
