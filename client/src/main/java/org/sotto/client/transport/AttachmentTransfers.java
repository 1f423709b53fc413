package org.sotto.client.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.sotto.api.dto.AttachmentCreateRequest;
import org.sotto.api.dto.AttachmentCreated;

/**
 * Attachment transfers behind {@link ServerApi}: create, resumable PATCH uploads with {@code
 * Upload-Offset} (HEAD for the resume point), and streaming downloads to a file with a Range for
 * the rest of a partial file. Immutable and thread-safe.
 */
final class AttachmentTransfers {
  /** The resumable-upload offset header (tus style). */
  static final String UPLOAD_OFFSET = "Upload-Offset";

  /** Attachment ids as the server issues them; anything else is refused before a request. */
  private static final Pattern ATTACHMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Exchange exchange;

  AttachmentTransfers(Exchange exchange) {
    this.exchange = exchange;
  }

  /** Starts an upload of exactly {@code length} bytes of ciphertext. */
  AttachmentCreated createAttachment(long length) throws TransportException, InterruptedException {
    return exchange
        .json(
            "createAttachment",
            "POST",
            "/v1/attachments",
            new AttachmentCreateRequest(length),
            true)
        .as(AttachmentCreated.class);
  }

  /** How many bytes of attachment {@code id} the server has received (HEAD, Upload-Offset). */
  long attachmentOffset(String id) throws TransportException, InterruptedException {
    HttpRequest req =
        exchange
            .request("HEAD", "/v1/attachments/" + attachmentId(id), ServerApi.REQUEST_TIMEOUT, true)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<byte[]> r = exchange.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw Http.status("attachmentOffset", r, r.body());
    }
    return offsetHeader("attachmentOffset", r);
  }

  /**
   * Uploads {@code file} as a new attachment in parts of {@link ServerApi#UPLOAD_PART_BYTES}; a
   * failed part is resumed from the server's offset. Returns the attachment id.
   */
  String uploadAttachment(Path file) throws TransportException, InterruptedException {
    return uploadAttachment(file, ServerApi.UPLOAD_PART_BYTES);
  }

  /** Same with another part size (tests). */
  String uploadAttachment(Path file, long partBytes)
      throws TransportException, InterruptedException {
    return uploadAttachment(file, partBytes, done -> {});
  }

  /** Same, reporting the bytes sent so far to {@code progress}. */
  String uploadAttachment(Path file, long partBytes, LongConsumer progress)
      throws TransportException, InterruptedException {
    long length = size(file);
    AttachmentCreated created = createAttachment(length);
    resumeAttachment(created.id(), file, partBytes, progress);
    return created.id();
  }

  /**
   * Continues an interrupted upload of {@code file} to attachment {@code id}: asks the server how
   * much it has and sends the rest.
   */
  void resumeAttachment(String id, Path file) throws TransportException, InterruptedException {
    resumeAttachment(id, file, ServerApi.UPLOAD_PART_BYTES, done -> {});
  }

  private void resumeAttachment(String id, Path file, long partBytes, LongConsumer progress)
      throws TransportException, InterruptedException {
    long length = size(file);
    long offset = attachmentOffset(id);
    int failures = 0;
    while (offset < length) {
      long part = Math.min(partBytes, length - offset);
      try {
        offset = appendAttachment(id, file, offset, part, progress);
        progress.accept(offset);
        failures = 0;
      } catch (ServerUnreachableException | HttpStatusException e) {
        if (!resumable(e) || ++failures > ServerApi.MAX_UPLOAD_RETRIES) {
          throw e;
        }
        // The server may still be finishing the broken request (409 upload_in_progress).
        Thread.sleep(ServerApi.UPLOAD_RETRY_DELAY.toMillis() * failures);
        offset = attachmentOffset(id);
      }
    }
  }

  /**
   * Whether a failed part is worth resuming: the connection broke, the server failed, the body
   * broke off, or the offsets disagree (409, resynchronised by HEAD). Other refusals are final.
   */
  private static boolean resumable(TransportException e) {
    if (e instanceof HttpStatusException s) {
      return s.status() >= 500 || s.status() == 409 || s.code().equals("upload_interrupted");
    }
    return true;
  }

  /**
   * Sends bytes {@code [offset, offset + count)} of {@code file} at Upload-Offset {@code offset}.
   * Returns the server's new offset.
   */
  long appendAttachment(String id, Path file, long offset, long count)
      throws TransportException, InterruptedException {
    return appendAttachment(id, file, offset, count, done -> {});
  }

  private long appendAttachment(
      String id, Path file, long offset, long count, LongConsumer progress)
      throws TransportException, InterruptedException {
    if (offset < 0 || count <= 0 || offset + count > size(file)) {
      throw new IllegalArgumentException("the part must lie within the file");
    }
    HttpRequest req =
        exchange
            .request(
                "PATCH", "/v1/attachments/" + attachmentId(id), ServerApi.TRANSFER_TIMEOUT, true)
            .header("Content-Type", "application/offset+octet-stream")
            .header(UPLOAD_OFFSET, Long.toString(offset))
            .method(
                "PATCH",
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> slice(file, offset, count, progress)),
                    count))
            .build();
    HttpResponse<byte[]> r = exchange.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 204 && r.statusCode() != 200) {
      throw Http.status("appendAttachment", r, r.body());
    }
    return offsetHeader("appendAttachment", r);
  }

  /**
   * Downloads attachment {@code id} into {@code target}, streaming (nothing is held in memory and
   * no digest is checked here: the SDK verifies the ciphertext). If {@code target} already holds a
   * prefix (an earlier interrupted download), only the rest is requested with a Range header.
   * Returns the file's final size.
   */
  long downloadAttachment(String id, Path target) throws TransportException, InterruptedException {
    long have = Files.exists(target) ? size(target) : 0;
    return downloadAttachment(id, target, have);
  }

  /**
   * Downloads attachment {@code id} from byte {@code from} on: with {@code from} 0 {@code target}
   * is replaced, otherwise the bytes are appended to it. Returns the file's final size.
   */
  long downloadAttachment(String id, Path target, long from)
      throws TransportException, InterruptedException {
    if (from < 0) {
      throw new IllegalArgumentException("from must not be negative");
    }
    HttpRequest.Builder b =
        exchange
            .request("GET", "/v1/attachments/" + attachmentId(id), ServerApi.TRANSFER_TIMEOUT, true)
            .GET();
    if (from > 0) {
      b.header("Range", "bytes=" + from + "-");
    }
    HttpResponse<Object> r =
        exchange.send(
            b.build(),
            info -> {
              int status = info.statusCode();
              if (status == 206 && from > 0) {
                return mapToObject(
                    HttpResponse.BodySubscribers.ofFile(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND));
              }
              if (status == 200) {
                // Whole resource (no range asked, or the range was ignored): start over.
                return mapToObject(
                    HttpResponse.BodySubscribers.ofFile(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING));
              }
              return mapToObject(HttpResponse.BodySubscribers.ofByteArray());
            });
    if (r.statusCode() == 206 && from > 0) {
      String range = r.headers().firstValue("Content-Range").orElse("");
      if (!range.startsWith("bytes " + from + "-")) {
        throw new ProtocolViolationException(
            "downloadAttachment: the server sent another range than asked", null);
      }
    } else if (r.statusCode() != 200) {
      throw Http.status("downloadAttachment", r, r.body() instanceof byte[] bytes ? bytes : null);
    }
    return size(target);
  }

  @SuppressWarnings("unchecked")
  private static HttpResponse.BodySubscriber<Object> mapToObject(HttpResponse.BodySubscriber<?> s) {
    return HttpResponse.BodySubscribers.mapping(
        (HttpResponse.BodySubscriber<Object>) s, value -> value);
  }

  private static long offsetHeader(String operation, HttpResponse<?> r)
      throws ProtocolViolationException {
    String v = r.headers().firstValue(UPLOAD_OFFSET).orElse("");
    if (!v.matches("\\d{1,18}")) {
      throw new ProtocolViolationException(operation + ": no valid Upload-Offset header", null);
    }
    return Long.parseLong(v);
  }

  static String attachmentId(String id) {
    if (id == null || !ATTACHMENT_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id: not an attachment id");
    }
    return id;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the size of a local file", e);
    }
  }

  private static InputStream slice(Path file, long offset, long count, LongConsumer progress) {
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(offset);
      InputStream in = Channels.newInputStream(ch);
      return new java.io.FilterInputStream(in) {
        private long left = count;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int c = super.read();
          if (c >= 0) {
            left--;
            progress.accept(offset + count - left);
          }
          return c;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = super.read(buf, off, (int) Math.min(len, left));
          if (n > 0) {
            left -= n;
            progress.accept(offset + count - left);
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read a local file", e);
    }
  }
}
