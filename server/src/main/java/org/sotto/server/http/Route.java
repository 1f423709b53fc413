package org.sotto.server.http;

import java.util.List;
import java.util.Objects;

/**
 * One HTTP endpoint: method, path pattern ({@code /v1/keys/{accountId}/{deviceId}}), who may call
 * it, the JSON types it reads and writes (for the OpenAPI document; {@code Void} for none) and the
 * handler. The route table is the single source of truth for both dispatch and {@code
 * /v1/openapi.json}. Immutable.
 */
public record Route(
    String method,
    String pattern,
    Access access,
    Class<?> requestType,
    Class<?> responseType,
    String summary,
    List<Integer> errorStatuses,
    int maxBodyBytes,
    java.util.Map<Integer, Class<?>> errorBodies,
    RouteHandler handler) {

  /**
   * Default cap on a JSON request body: the largest ordinary request (100 signed Kyber prekeys,
   * base64) is about 230 KiB, so 1 MiB leaves room and still bounds memory per request.
   */
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /** Who may call a route. */
  public enum Access {
    /** Anyone (rate limits still apply). */
    PUBLIC,
    /** An authenticated device (HTTP Basic: {@code accountId.deviceId:secret}). */
    DEVICE,
    /**
     * An authenticated device, or anyone presenting the recipient's Unidentified-Access-Key (sealed
     * sender).
     */
    DEVICE_OR_UNIDENTIFIED
  }

  /** Validates the parts. */
  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(requestType, "requestType");
    Objects.requireNonNull(responseType, "responseType");
    Objects.requireNonNull(summary, "summary");
    errorStatuses = List.copyOf(errorStatuses);
    errorBodies = java.util.Map.copyOf(errorBodies);
    Objects.requireNonNull(handler, "handler");
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must not be negative");
    }
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("pattern must start with /");
    }
  }

  /** A route without a JSON request body. */
  public static Route of(
      String method,
      String pattern,
      Access access,
      Class<?> responseType,
      String summary,
      RouteHandler handler) {
    return new Route(
        method,
        pattern,
        access,
        Void.class,
        responseType,
        summary,
        List.of(),
        DEFAULT_MAX_BODY_BYTES,
        java.util.Map.of(),
        handler);
  }

  /** A route reading a JSON body of {@code requestType}. */
  public static Route withBody(
      String method,
      String pattern,
      Access access,
      Class<?> requestType,
      Class<?> responseType,
      String summary,
      RouteHandler handler) {
    return new Route(
        method,
        pattern,
        access,
        requestType,
        responseType,
        summary,
        List.of(),
        DEFAULT_MAX_BODY_BYTES,
        java.util.Map.of(),
        handler);
  }

  /**
   * This route, documenting extra error statuses (409, 410, 413, 429, ...) in the OpenAPI document.
   */
  public Route errors(Integer... statuses) {
    return new Route(
        method,
        pattern,
        access,
        requestType,
        responseType,
        summary,
        List.of(statuses),
        maxBodyBytes,
        errorBodies,
        handler);
  }

  /** This route with a different body-size cap. */
  public Route maxBody(int bytes) {
    return new Route(
        method,
        pattern,
        access,
        requestType,
        responseType,
        summary,
        errorStatuses,
        bytes,
        errorBodies,
        handler);
  }

  /**
   * This route, documenting that its {@code status} error has a {@code body} of its own instead of
   * the standard {@code ErrorResponse} (409 {@code MismatchedDevices}, 410 {@code StaleDevices}).
   */
  public Route errorBody(int status, Class<?> body) {
    var bodies = new java.util.TreeMap<>(errorBodies);
    bodies.put(status, body);
    var statuses = new java.util.ArrayList<>(errorStatuses);
    if (!statuses.contains(status)) {
      statuses.add(status);
    }
    return new Route(
        method,
        pattern,
        access,
        requestType,
        responseType,
        summary,
        statuses,
        maxBodyBytes,
        bodies,
        handler);
  }

  /** The path parameter names, in order. */
  public List<String> parameterNames() {
    return parameterNamesOf(pattern);
  }

  /** The parameter names of a path pattern such as {@code /v1/keys/{accountId}/{deviceId}}. */
  public static List<String> parameterNamesOf(String pattern) {
    return java.util.Arrays.stream(pattern.split("/"))
        .filter(s -> s.startsWith("{") && s.endsWith("}"))
        .map(s -> s.substring(1, s.length() - 1))
        .toList();
  }
}
