package org.sotto.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.sotto.api.Address;
import org.sotto.server.auth.Caller;

/**
 * One request as a route handler sees it: path parameters, headers, the authenticated caller and
 * the body (parsed strictly as JSON, or streamed). Not thread-safe; lives for one request.
 */
public final class Call {
  private final Request request;
  private final Response response;
  private final org.eclipse.jetty.util.Callback callback;
  private final Map<String, String> params;
  private final Caller caller;
  private final int maxBodyBytes;
  private boolean bodyRead;

  Call(
      Request request,
      Response response,
      org.eclipse.jetty.util.Callback callback,
      Map<String, String> params,
      Caller caller,
      int maxBodyBytes) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.params = Map.copyOf(params);
    this.caller = caller;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A path parameter (already URL-decoded; never contains '/'). */
  public String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no path parameter " + name);
    }
    return v;
  }

  /** A request header, if present. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeaders().get(name));
  }

  /** A query parameter, if present. */
  public Optional<String> query(String name) {
    return Optional.ofNullable(Request.extractQueryParameters(request).getValue(name));
  }

  /** Who is calling: a device, an unidentified sender, or anonymous. */
  public Caller caller() {
    return caller;
  }

  /**
   * The authenticated device; a 401 if the caller is not one (routes declare DEVICE access, so
   * rare).
   */
  public Address device() {
    if (caller instanceof Caller.Device d) {
      return d.address();
    }
    throw ApiException.unauthorized();
  }

  /** The client's IP address (for rate limits). */
  public String remoteIp() {
    return Request.getRemoteAddr(request);
  }

  /** Reads the whole body (at most the route's limit, else 413) and parses it as {@code type}. */
  public <T> T body(Class<T> type) {
    return Json.read(bodyBytes(), type);
  }

  /**
   * An oversized body up to this size is read and discarded before the 413 goes out: closing a
   * connection with unread request bytes makes TCP reset it, and the client may then lose the 413
   * itself. Larger bodies are cut off (the connection closes) so a client cannot make the server
   * read without bound.
   */
  static final long MAX_DRAIN_BYTES = 8L * 1024 * 1024;

  /** Reads the whole body as bytes, at most the route's body limit (else 413). */
  public byte[] bodyBytes() {
    if (bodyRead) {
      throw new IllegalStateException("body already read");
    }
    bodyRead = true;
    long declared = request.getLength();
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (declared > maxBodyBytes) {
        drain(in, declared);
        throw tooLarge();
      }
      if (declared >= 0) {
        // The usual case: the length is known, so read into one array of exactly that size.
        byte[] body = in.readNBytes((int) declared);
        if (body.length != declared || in.read() != -1) {
          throw ApiException.badRequest(
              "invalid_body", "the body does not match its Content-Length");
        }
        return body;
      }
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        drain(in, MAX_DRAIN_BYTES);
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_body", "the body could not be read");
    }
  }

  /**
   * Reads and discards what is left of a request body (at most {@link #MAX_DRAIN_BYTES}) before an
   * error reply, so the client is not reset before it reads it. A body that was read already yields
   * end-of-stream at once.
   */
  static void drainUnread(Request request) {
    long declared = request.getLength();
    if (declared == 0 || declared > MAX_DRAIN_BYTES) {
      return;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      drain(in, declared < 0 ? MAX_DRAIN_BYTES : declared);
    } catch (IOException | RuntimeException e) {
      // The connection is broken or the body unreadable: nothing left to protect.
    }
  }

  private static void drain(InputStream in, long declared) throws IOException {
    if (declared <= MAX_DRAIN_BYTES) {
      long left = MAX_DRAIN_BYTES;
      byte[] sink = new byte[8192];
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
        left -= n;
      }
    }
  }

  /** The raw body as a stream, for uploads that must not be buffered (attachments). */
  public InputStream bodyStream() {
    if (bodyRead) {
      throw new IllegalStateException("body already read");
    }
    bodyRead = true;
    return Content.Source.asInputStream(request);
  }

  /** The declared Content-Length, or -1. */
  public long contentLength() {
    return request.getLength();
  }

  /** The underlying Jetty request (streaming downloads). */
  public Request request() {
    return request;
  }

  /** The underlying Jetty response (streaming downloads). */
  public Response response() {
    return response;
  }

  /** The callback a handler returning {@link Reply#STREAMED} must complete. */
  public org.eclipse.jetty.util.Callback callback() {
    return callback;
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "too_large", "the request body is too large");
  }
}
