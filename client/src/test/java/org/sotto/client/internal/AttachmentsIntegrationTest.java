package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.client.AttachmentFileException;
import org.sotto.client.HistoryEntry;
import org.sotto.client.IncomingMessage;
import org.sotto.client.ReceivedAttachment;
import org.sotto.client.SottoClient;
import org.sotto.client.TransferListener;
import org.sotto.server.testing.TestServer;

/** Attachments between two SDK clients through a real in-process server. */
class AttachmentsIntegrationTest {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final int TWENTY_MIB = 20 * 1024 * 1024;
  private static final AtomicInteger names = new AtomicInteger();

  private static TestServer server;

  @TempDir Path dir;

  private final List<SottoClient> open = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @AfterEach
  void closeClients() throws Exception {
    for (SottoClient c : open) {
      c.close();
    }
  }

  private DefaultSottoClient register(String base) throws Exception {
    String handle = base + names.incrementAndGet();
    DefaultSottoClient c =
        DefaultSottoClient.register(
            server.uri(), handle, dir.resolve(handle), null, Clock.systemUTC(), new SecureRandom());
    open.add(c);
    return c;
  }

  private static String handleOf(DefaultSottoClient c) {
    return c.account().handle();
  }

  private Path randomFile(String name, int size) throws Exception {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return Files.write(dir.resolve(name), b);
  }

  private static byte[] sha256(Path p) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  private static Path folderOf(DefaultSottoClient c) {
    return c.storeFolderForTest().resolve(Attachments.FOLDER);
  }

  private static List<Path> filesIn(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.toList();
    }
  }

  private static Set<Path> serverBlobs() throws Exception {
    try (Stream<Path> s = Files.list(server.dataDir().resolve("attachments"))) {
      return new HashSet<>(s.toList());
    }
  }

  private static IncomingMessage receiveOne(DefaultSottoClient c) throws Exception {
    List<IncomingMessage> got = c.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(1, got.size(), "messages received");
    return got.get(0);
  }

  @Test
  void send_smallAndTwentyMibAttachments_roundTripWithDigestCheck() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    Path small = randomFile("note.txt", 1234);
    Path big = randomFile("big.bin", TWENTY_MIB);
    AtomicLong lastProgress = new AtomicLong();
    TransferListener progress = (file, done, total) -> lastProgress.set(done);

    alice.send(handleOf(bob), "two files", List.of(small, big), progress);

    IncomingMessage m = receiveOne(bob);
    assertEquals("two files", m.text());
    assertEquals(2, m.attachments().size());
    ReceivedAttachment a0 = m.attachments().get(0);
    ReceivedAttachment a1 = m.attachments().get(1);
    assertTrue(a0.saved() && a1.saved());
    assertEquals("note.txt", a0.fileName());
    assertEquals(1234, a0.size());
    assertEquals(TWENTY_MIB, a1.size());
    assertArrayEquals(sha256(small), sha256(a0.path()));
    assertArrayEquals(sha256(big), sha256(a1.path()));
    assertTrue(a1.path().startsWith(folderOf(bob)));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a1.path())));
    assertEquals(AttachmentCipher.blobSize(TWENTY_MIB), lastProgress.get());
    // No temporary blob or plaintext is left behind on either side.
    assertEquals(2, filesIn(folderOf(bob)).size());
    assertTrue(filesIn(folderOf(alice)).isEmpty());

    List<HistoryEntry> bobHistory = bob.history(handleOf(alice), 10);
    assertEquals(a1.path(), bobHistory.get(0).attachments().get(1).path());
    List<HistoryEntry> aliceHistory = alice.history(handleOf(bob), 10);
    assertEquals(big.toAbsolutePath(), aliceHistory.get(0).attachments().get(1).path());
  }

  @Test
  void send_attachmentOnlyWithEmptyText_arrives() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    Path f = randomFile("photo.jpg", 100);
    alice.send(handleOf(bob), "", List.of(f), null);
    IncomingMessage m = receiveOne(bob);
    assertEquals("", m.text());
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(m.attachments().get(0).path()));
  }

  @Test
  void receive_blobTamperedOnServer_keepsTextReportsInvalidAndLeavesNoFile() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    Set<Path> before = serverBlobs();
    alice.send(handleOf(bob), "see attached", List.of(randomFile("doc.pdf", 5000)), null);
    Set<Path> after = serverBlobs();
    after.removeAll(before);
    assertEquals(1, after.size());
    Path blob = after.iterator().next();
    try (FileChannel ch =
        FileChannel.open(blob, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, 2000);
      one.put(0, (byte) (one.get(0) ^ 0x40));
      one.rewind();
      ch.write(one, 2000);
    }

    IncomingMessage m = receiveOne(bob);
    assertEquals("see attached", m.text());
    ReceivedAttachment a = m.attachments().get(0);
    assertFalse(a.saved());
    assertNull(a.path());
    assertEquals(ReceivedAttachment.Failure.INVALID, a.failure());
    assertTrue(filesIn(folderOf(bob)).isEmpty(), "no plaintext or temporary file");
    assertEquals(
        ReceivedAttachment.Failure.INVALID,
        bob.history(handleOf(alice), 10).get(0).attachments().get(0).failure());
  }

  @Test
  void receive_blobGoneFromServer_keepsTextAndReportsDownloadFailed() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    Set<Path> before = serverBlobs();
    alice.send(handleOf(bob), "lost file", List.of(randomFile("gone.bin", 100)), null);
    Set<Path> after = serverBlobs();
    after.removeAll(before);
    assertEquals(1, after.size());
    Files.delete(after.iterator().next());

    IncomingMessage m = receiveOne(bob);
    assertEquals("lost file", m.text());
    assertEquals(ReceivedAttachment.Failure.DOWNLOAD_FAILED, m.attachments().get(0).failure());
    assertTrue(filesIn(folderOf(bob)).isEmpty());
  }

  @Test
  void receive_pointerWithWrongKey_keepsTextReportsInvalidAndLeavesNoFile() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    Content.Attachment real =
        alice.attachmentsForTest().upload(randomFile("x.bin", 3000), TransferListener.NONE);
    byte[] wrongKey = new byte[Content.ATTACHMENT_KEY_BYTES];
    new SecureRandom().nextBytes(wrongKey);
    Content.Attachment forged =
        new Content.Attachment(
            real.id(),
            Base64.getEncoder().encodeToString(wrongKey),
            real.digest(),
            real.size(),
            real.fileName(),
            real.contentType());
    alice.sendContentForTest(
        bob.accountId(), (ts, dest) -> Content.message("keyed", ts, dest, List.of(forged)), false);

    IncomingMessage m = receiveOne(bob);
    assertEquals("keyed", m.text());
    assertEquals(ReceivedAttachment.Failure.INVALID, m.attachments().get(0).failure());
    assertTrue(filesIn(folderOf(bob)).isEmpty());
  }

  @Test
  void receive_senderFileNameWithPath_isSavedInsideAttachmentsFolder() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    Content.Attachment real =
        alice.attachmentsForTest().upload(randomFile("ok.bin", 300), TransferListener.NONE);
    Content.Attachment hostile =
        new Content.Attachment(
            real.id(), real.key(), real.digest(), real.size(), "../../../.evil\n.sh", null);
    alice.sendContentForTest(
        bob.accountId(), (ts, dest) -> Content.message("named", ts, dest, List.of(hostile)), false);

    ReceivedAttachment a = receiveOne(bob).attachments().get(0);
    assertTrue(a.saved());
    assertEquals(folderOf(bob), a.path().getParent());
    assertEquals("evil.sh", a.fileName());
    assertTrue(a.path().getFileName().toString().endsWith("-evil.sh"), a.path().toString());
  }

  @Test
  void send_missingFile_throwsTypedErrorAndSendsNothing() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    Path missing = dir.resolve("nope.txt");
    Path present = randomFile("yes.txt", 10);
    AttachmentFileException e =
        assertThrows(
            AttachmentFileException.class,
            () -> alice.send(handleOf(bob), "hi", List.of(present, missing), null));
    assertEquals(missing, e.file());
    assertFalse(e.getMessage().contains("nope"));
    assertTrue(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).isEmpty());
    assertTrue(alice.history(handleOf(bob), 10).isEmpty());
  }
}
