package org.sotto.server.http;

import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.sotto.api.dto.ErrorResponse;
import org.sotto.server.metrics.ServerMetrics;

/**
 * Jetty's own error pages (unparseable requests, ambiguous or overlong URIs, oversized headers,
 * failures outside the {@link Router}) as the same {@code {"code","message"}} JSON the routes
 * return instead of HTML. The message is a fixed text per status: Jetty's reason may quote the
 * request, and error bodies never echo request data. Install with {@code Server.setErrorHandler}.
 * Thread-safe.
 */
public final class JsonErrorHandler implements Request.Handler {
  /** Fixed code and message per status; others get {@code http_<status>} and the reason phrase. */
  private static final Map<Integer, ErrorResponse> KNOWN =
      Map.ofEntries(
          Map.entry(400, new ErrorResponse("bad_request", "the request could not be understood")),
          Map.entry(401, new ErrorResponse("unauthorized", "authentication required")),
          Map.entry(403, new ErrorResponse("forbidden", "forbidden")),
          Map.entry(404, new ErrorResponse("not_found", "no such endpoint")),
          Map.entry(405, new ErrorResponse("method_not_allowed", "method not allowed")),
          Map.entry(408, new ErrorResponse("timeout", "the request took too long")),
          Map.entry(411, new ErrorResponse("length_required", "a Content-Length is required")),
          Map.entry(413, new ErrorResponse("too_large", "the request body is too large")),
          Map.entry(414, new ErrorResponse("uri_too_long", "the request URI is too long")),
          Map.entry(415, new ErrorResponse("unsupported_media_type", "unsupported content type")),
          Map.entry(
              431, new ErrorResponse("headers_too_large", "the request headers are too large")),
          Map.entry(500, new ErrorResponse("internal", "internal error")),
          Map.entry(501, new ErrorResponse("not_implemented", "not implemented")),
          Map.entry(503, new ErrorResponse("unavailable", "the server is unavailable")),
          Map.entry(
              505, new ErrorResponse("http_version_not_supported", "HTTP version not supported")));

  private final ServerMetrics metrics;

  /** An error handler counting the statuses it writes in {@code metrics}. */
  public JsonErrorHandler(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e) {
      status = e.getCode();
    }
    if (status < 400 || status > 599) {
      status = 500; // an error page for a non-error status: something failed unexpectedly
    }
    metrics.httpStatus(status);
    if (response.isCommitted()) {
      callback.failed(new IllegalStateException("response already committed"));
      return true;
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(ErrorHandler.ERROR_CACHE_CONTROL);
    response.write(true, ByteBuffer.wrap(Json.write(body(status))), callback);
    return true;
  }

  /** The body for {@code status}: never anything taken from the request. */
  static ErrorResponse body(int status) {
    ErrorResponse known = KNOWN.get(status);
    if (known != null) {
      return known;
    }
    String reason = HttpStatus.getMessage(status);
    return new ErrorResponse("http_" + status, reason == null ? "error" : reason);
  }
}
