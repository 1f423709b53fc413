package org.sotto.server.http;

import java.util.Map;

/**
 * An error reply: HTTP status, a stable machine code and a message without user data, optionally
 * with a typed body (409/410 device lists). Thrown anywhere below a route and turned into JSON in
 * one place ({@link Router}). Routine flow control, so it carries no stack trace.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Object body;
  private final transient Map<String, String> headers;

  /** An error with the standard {@code {"code","message"}} body. */
  public ApiException(int status, String code, String message) {
    this(status, code, message, null, Map.of());
  }

  /** An error whose body is {@code body} (serialised as JSON) instead of the standard one. */
  public ApiException(
      int status, String code, String message, Object body, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.body = body;
    this.headers = Map.copyOf(headers);
  }

  /** 400 with {@code code}. */
  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  /** 401 without detail. */
  public static ApiException unauthorized() {
    return new ApiException(401, "unauthorized", "authentication required");
  }

  /** 403 with {@code code}. */
  public static ApiException forbidden(String code, String message) {
    return new ApiException(403, code, message);
  }

  /** 404 with {@code code}. */
  public static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message);
  }

  /** 409 with {@code code}. */
  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }

  /** 429: slow down; {@code retryAfterSeconds} goes into Retry-After. */
  public static ApiException rateLimited(long retryAfterSeconds) {
    return new ApiException(
        429,
        "rate_limited",
        "too many requests",
        null,
        Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The machine-readable code. */
  public String code() {
    return code;
  }

  /** A custom JSON body, or null for the standard one. */
  public Object body() {
    return body;
  }

  /** Extra response headers. */
  public Map<String, String> headers() {
    return headers;
  }
}
