package org.sotto.server.attachments;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.sotto.api.dto.AttachmentCreateRequest;
import org.sotto.api.dto.AttachmentCreated;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Call;
import org.sotto.server.http.Reply;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;
import org.sotto.server.store.AttachmentRecord;

/**
 * Attachment upload and download: create, resumable PATCH uploads with {@code Upload-Offset} (in
 * the manner of the tus protocol), HEAD for the resume point, and GET with single byte ranges. Any
 * device may download any attachment whose id it knows; the content is ciphertext whose key travels
 * inside an end-to-end-encrypted message. Thread-safe.
 */
public final class AttachmentRoutes {
  /** Decimal offsets only, at most 18 digits (no sign, no overflow). */
  private static final Pattern OFFSET = Pattern.compile("\\d{1,18}");

  private final AttachmentManager manager;

  /** Routes over {@code manager}. */
  public AttachmentRoutes(AttachmentManager manager) {
    this.manager = manager;
  }

  /** The routes. */
  public List<Route> routes() {
    return List.of(
        Route.withBody(
                "POST",
                "/v1/attachments",
                Access.DEVICE,
                AttachmentCreateRequest.class,
                AttachmentCreated.class,
                "Start an attachment upload of a declared length",
                call -> manager.create(call.body(AttachmentCreateRequest.class).length()))
            .errors(413),
        Route.of(
                "PATCH",
                "/v1/attachments/{id}",
                Access.DEVICE,
                Void.class,
                "Append the body at Upload-Offset (which must equal the received size)",
                this::patch)
            .errors(400, 404, 409, 413),
        Route.of(
                "HEAD",
                "/v1/attachments/{id}",
                Access.DEVICE,
                Void.class,
                "Upload-Offset and Upload-Length of an attachment, to resume an upload",
                this::head)
            .errors(400, 404),
        Route.of(
                "GET",
                "/v1/attachments/{id}",
                Access.DEVICE,
                byte[].class,
                "Download a complete attachment; supports one byte range",
                this::get)
            .errors(400, 404, 409, 416));
  }

  private Object patch(Call call) {
    String id = call.param("id");
    String header =
        call.header(AttachmentManager.UPLOAD_OFFSET)
            .orElseThrow(
                () -> ApiException.badRequest("missing_header", "Upload-Offset is required"));
    if (!OFFSET.matcher(header).matches()) {
      throw ApiException.badRequest("invalid_header", "Upload-Offset must be a decimal number");
    }
    long offset = Long.parseLong(header);
    long received = manager.upload(id, offset, call.contentLength(), call.bodyStream());
    return Reply.empty(204).header(AttachmentManager.UPLOAD_OFFSET, Long.toString(received));
  }

  private Object head(Call call) {
    AttachmentRecord rec = manager.status(call.param("id"));
    return Reply.empty(200)
        .header(AttachmentManager.UPLOAD_OFFSET, Long.toString(rec.received()))
        .header(AttachmentManager.UPLOAD_LENGTH, Long.toString(rec.length()))
        .header("Cache-Control", "no-store");
  }

  private Object get(Call call) {
    AttachmentManager.Download d = manager.download(call.param("id"));
    Optional<ByteRange> range = ByteRange.parse(call.header("Range").orElse(null), d.length());
    long first = range.map(ByteRange::first).orElse(0L);
    long length = range.map(ByteRange::length).orElse(d.length());
    Response response = call.response();
    response.setStatus(range.isPresent() ? 206 : 200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
    range.ifPresent(
        r -> response.getHeaders().put(HttpHeader.CONTENT_RANGE, r.contentRange(d.length())));
    ByteBufferPool.Sized buffers =
        new ByteBufferPool.Sized(
            call.request().getComponents().getByteBufferPool(), false, AttachmentFiles.CHUNK_BYTES);
    Content.copy(Content.Source.from(buffers, d.file(), first, length), response, call.callback());
    return Reply.STREAMED;
  }
}
