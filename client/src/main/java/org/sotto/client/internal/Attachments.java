package org.sotto.client.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.sotto.client.AttachmentFileException;
import org.sotto.client.ReceivedAttachment;
import org.sotto.client.SottoException;
import org.sotto.client.TransferListener;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.PrivateFiles;
import org.sotto.client.storage.StorageException;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;

/**
 * Attachments on this device: encrypts and uploads files to send (through a temporary blob file in
 * the attachments folder, so a large file is never held in memory), downloads, verifies and saves
 * received ones under {@code <storeDir>/attachments/} (owner-only, unique safe names), and keeps
 * each message's attachment records in the store. Thread-safe: it holds no state but the store, and
 * downloads run without the client's lock.
 */
final class Attachments {
  /**
   * Largest attachment (plaintext bytes): the server's default limit of 100 MiB applies to the
   * encrypted blob, which adds an IV, up to one padding block and a MAC (at most 64 bytes).
   */
  static final long MAX_ATTACHMENT_BYTES = 100L * 1024 * 1024 - 64;

  /** The folder inside the store folder that holds saved attachments and temporary blobs. */
  static final String FOLDER = "attachments";

  /** Longest saved file name part taken from the sender's name; file systems allow 255 bytes. */
  static final int MAX_SAVED_NAME_CHARS = 100;

  /** Tries at a fresh unique name before giving up (a clash is already very unlikely). */
  static final int NAME_ATTEMPTS = 8;

  /** The content type sent when the platform cannot tell one. */
  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  /** Prefix of temporary files (blobs being sent or received, plaintext being decrypted). */
  static final String TEMP_PREFIX = ".partial-";

  /**
   * One attachment of a stored message, serialized into the store (encrypted there). For a received
   * attachment {@code path} is the saved file, for a sent one the file we sent; {@code failure} is
   * a {@link ReceivedAttachment.Failure} name; both null means not downloaded yet.
   */
  record Record(Content.Attachment pointer, String path, String failure, boolean received) {
    Record withResult(Path saved, ReceivedAttachment.Failure f) {
      return new Record(
          pointer, saved == null ? null : saved.toString(), f == null ? null : f.name(), received);
    }

    boolean pending() {
      return path == null && failure == null;
    }

    ReceivedAttachment view() {
      String name = pointer.fileName() == null ? "" : safeName(pointer.fileName());
      String type = pointer.contentType() == null ? "" : pointer.contentType();
      if (path != null) {
        return new ReceivedAttachment(name, type, pointer.size(), Path.of(path), null);
      }
      ReceivedAttachment.Failure f =
          failure == null
              ? ReceivedAttachment.Failure.PENDING
              : ReceivedAttachment.Failure.valueOf(failure);
      return new ReceivedAttachment(name, type, pointer.size(), null, f);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final System.Logger log = System.getLogger(Attachments.class.getName());

  private final LocalStore store;
  private final ServerApi api;
  private final SecureRandom rng;

  Attachments(LocalStore store, ServerApi api, SecureRandom rng) {
    this.store = store;
    this.api = api;
    this.rng = rng;
  }

  /** The attachments folder, created owner-only when missing. */
  Path folder() throws IOException {
    Path dbFolder = store.databaseFile().toAbsolutePath().getParent();
    return PrivateFiles.folder(dbFolder.resolve(FOLDER));
  }

  // ---- sending ----

  /** Refuses (before anything is sent) files that are missing, unreadable or too large. */
  static void checkFiles(List<Path> files) throws AttachmentFileException {
    if (files.size() > Content.MAX_ATTACHMENTS) {
      throw new AttachmentFileException(
          files.get(Content.MAX_ATTACHMENTS),
          "at most " + Content.MAX_ATTACHMENTS + " attachments");
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new AttachmentFileException(f, "no such regular file");
      }
      if (!Files.isReadable(f)) {
        throw new AttachmentFileException(f, "not readable");
      }
      try {
        if (Files.size(f) > MAX_ATTACHMENT_BYTES) {
          throw new AttachmentFileException(f, "larger than " + MAX_ATTACHMENT_BYTES + " bytes");
        }
      } catch (IOException e) {
        throw new AttachmentFileException(f, "cannot read its size");
      }
    }
  }

  /** Encrypts {@code file} into a temporary blob, uploads it and returns its pointer. */
  Content.Attachment upload(Path file, TransferListener progress)
      throws SottoException, InterruptedException {
    Path blob;
    try {
      blob = tempFile();
    } catch (IOException e) {
      throw new SottoException("cannot create a temporary file for an attachment", e);
    }
    try {
      AttachmentCipher.Encrypted enc;
      try {
        enc = AttachmentCipher.encrypt(file, blob, rng);
      } catch (IOException e) {
        throw new AttachmentFileException(file, "cannot read it");
      }
      if (enc.plainSize() > MAX_ATTACHMENT_BYTES) {
        throw new AttachmentFileException(file, "larger than " + MAX_ATTACHMENT_BYTES + " bytes");
      }
      long total = enc.blobSize();
      String id =
          Errors.transport(
              () -> api.uploadAttachment(blob, done -> progress.onProgress(file, done, total)));
      Path name = file.getFileName();
      return new Content.Attachment(
          id,
          Base64.getEncoder().encodeToString(enc.key()),
          Base64.getEncoder().encodeToString(enc.digest()),
          enc.plainSize(),
          name == null ? null : safeName(name.toString()),
          contentType(file));
    } finally {
      deleteQuietly(blob);
    }
  }

  private static String contentType(Path file) {
    try {
      String t = Files.probeContentType(file);
      return t == null ? DEFAULT_CONTENT_TYPE : t;
    } catch (IOException | RuntimeException e) {
      return DEFAULT_CONTENT_TYPE;
    }
  }

  // ---- receiving ----

  /**
   * Downloads, verifies and saves every pending attachment of message {@code guid}, storing each
   * result. Runs without the client's lock. Returns every attachment of the message.
   */
  List<ReceivedAttachment> completePending(UUID guid)
      throws StorageException, InterruptedException {
    List<Record> records = records(guid);
    List<ReceivedAttachment> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      Record r = records.get(i);
      if (r.pending()) {
        r = save(r);
        store.history().state().putAttachment(guid, i, encode(r));
      }
      out.add(r.view());
    }
    return out;
  }

  private Record save(Record r) throws InterruptedException {
    Content.Attachment p = r.pointer();
    Path blob = null;
    Path plain = null;
    try {
      blob = tempFile();
      try {
        api.downloadAttachment(p.id(), blob, 0);
      } catch (TransportException | RuntimeException e) {
        log.log(
            System.Logger.Level.INFO,
            "attachment download failed: {0}",
            e.getClass().getSimpleName());
        return r.withResult(null, ReceivedAttachment.Failure.DOWNLOAD_FAILED);
      }
      if (Files.size(blob) > AttachmentCipher.blobSize(MAX_ATTACHMENT_BYTES)) {
        return r.withResult(null, ReceivedAttachment.Failure.INVALID);
      }
      plain = tempFile();
      long size;
      try {
        size = AttachmentCipher.decrypt(blob, p.keyBytes(), p.digestBytes(), plain);
      } catch (AttachmentCipher.InvalidAttachmentException e) {
        return r.withResult(null, ReceivedAttachment.Failure.INVALID);
      }
      if (size != p.size()) {
        return r.withResult(null, ReceivedAttachment.Failure.INVALID);
      }
      Path saved = moveToUniqueName(plain, p.fileName());
      plain = null;
      return r.withResult(saved, null);
    } catch (IOException e) {
      log.log(
          System.Logger.Level.WARNING,
          "saving an attachment failed: {0}",
          e.getClass().getSimpleName());
      return r.withResult(null, ReceivedAttachment.Failure.LOCAL_ERROR);
    } finally {
      deleteQuietly(blob);
      deleteQuietly(plain);
    }
  }

  private Path moveToUniqueName(Path plain, String senderName) throws IOException {
    Path folder = folder();
    String name = safeName(senderName);
    for (int i = 0; i < NAME_ATTEMPTS; i++) {
      byte[] prefix = new byte[4];
      rng.nextBytes(prefix);
      Path target = folder.resolve(HexFormat.of().formatHex(prefix) + "-" + name);
      try {
        return Files.move(plain, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        continue;
      }
    }
    throw new IOException("no free file name for an attachment");
  }

  /**
   * A file name part made safe from the sender's name: the last path element only, without control
   * or reserved characters, leading dots or spaces, at most {@link #MAX_SAVED_NAME_CHARS} chars.
   */
  static String safeName(String senderName) {
    if (senderName == null) {
      return "attachment";
    }
    String s = senderName;
    int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    s = s.substring(slash + 1);
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .filter(c -> c >= 0x20 && c != 0x7f && "<>:\"|?*/\\".indexOf(c) < 0)
        .filter(c -> !Character.isISOControl(c))
        .forEach(b::appendCodePoint);
    s = b.toString().strip();
    while (s.startsWith(".") || s.startsWith(" ")) {
      s = s.substring(1);
    }
    if (s.length() > MAX_SAVED_NAME_CHARS) {
      s = s.substring(s.length() - MAX_SAVED_NAME_CHARS);
    }
    return s.isEmpty() ? "attachment" : s;
  }

  // ---- records ----

  /** Stores the attachment records of message {@code guid} (inside the caller's transaction). */
  void putRecords(UUID guid, List<Record> records) throws StorageException {
    for (int i = 0; i < records.size(); i++) {
      store.history().state().putAttachment(guid, i, encode(records.get(i)));
    }
  }

  /** The attachment records of message {@code guid}; unreadable ones are skipped. */
  List<Record> records(UUID guid) throws StorageException {
    List<Record> out = new ArrayList<>();
    for (byte[] b : store.history().state().attachments(guid)) {
      try {
        out.add(JSON.readValue(b, Record.class));
      } catch (IOException | RuntimeException e) {
        log.log(System.Logger.Level.WARNING, "an attachment record does not parse");
      }
    }
    return out;
  }

  /** The attachments of message {@code guid} as the SDK shows them. */
  List<ReceivedAttachment> views(UUID guid) throws StorageException {
    return records(guid).stream().map(Record::view).toList();
  }

  /** Deletes the saved files of message {@code guid} (never a file we sent from elsewhere). */
  void deleteFiles(UUID guid) throws StorageException {
    for (Record r : records(guid)) {
      if (r.received() && r.path() != null) {
        Path p = Path.of(r.path());
        try {
          if (p.toAbsolutePath().normalize().startsWith(folder())) {
            Files.deleteIfExists(p);
          }
        } catch (IOException e) {
          log.log(System.Logger.Level.WARNING, "cannot delete an expired attachment file");
        }
      }
    }
  }

  private static byte[] encode(Record r) {
    try {
      return JSON.writeValueAsBytes(r);
    } catch (IOException e) {
      throw new AssertionError("a record of strings and numbers always serializes", e);
    }
  }

  private Path tempFile() throws IOException {
    byte[] r = new byte[12];
    rng.nextBytes(r);
    return PrivateFiles.newFile(folder().resolve(TEMP_PREFIX + HexFormat.of().formatHex(r)));
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.log(System.Logger.Level.WARNING, "cannot delete a temporary attachment file");
    }
  }
}
