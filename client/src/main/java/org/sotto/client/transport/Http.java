package org.sotto.client.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * The HTTP plumbing shared by {@link ServerApi} and the sockets: URLs, JSON, and the mapping of
 * failures to {@link TransportException}s. Thread-safe.
 */
final class Http {
  /**
   * Reading JSON ignores unknown fields, so a newer server that adds fields keeps older clients
   * working; writing emits only the DTOs' own fields, which the strict server requires.
   */
  static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Http() {}

  /** {@code base} without user info and with no trailing slash, so paths append cleanly. */
  static URI normalise(URI base) {
    String scheme = base.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("the server URL must be http:// or https://");
    }
    if (base.getUserInfo() != null) {
      throw new IllegalArgumentException("the server URL must not carry credentials");
    }
    String s = base.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  /** {@code base} + {@code path} (which starts with '/'). */
  static URI resolve(URI base, String path) {
    return URI.create(base + path);
  }

  /** The WebSocket URL for {@code path}: ws:// for http, wss:// for https. */
  static URI webSocket(URI base, String path) {
    String s = base.toString();
    return URI.create((s.startsWith("https") ? "wss" : "ws") + s.substring(s.indexOf(':')) + path);
  }

  /** Serialises a DTO. */
  static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** Parses a DTO from a response body. */
  static <T> T read(String operation, byte[] body, Class<T> type)
      throws ProtocolViolationException {
    try {
      T value = JSON.readValue(body, type);
      if (value == null) {
        throw new ProtocolViolationException(operation + ": empty response body", null);
      }
      return value;
    } catch (IOException | IllegalArgumentException e) {
      // The cause's message may quote the body; keep only its type.
      throw new ProtocolViolationException(
          operation + ": unreadable response (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  /** The error for a non-2xx response, reading the server's {@code code} and message. */
  static HttpStatusException status(String operation, HttpResponse<?> response, byte[] body) {
    String code = HttpStatusException.UNKNOWN_CODE;
    String message = null;
    if (body != null && body.length > 0) {
      try {
        JsonNode node = JSON.readTree(body);
        if (node != null && node.path("code").isTextual()) {
          code = node.get("code").asText();
        }
        if (node != null && node.path("message").isTextual()) {
          message = node.get("message").asText();
        }
      } catch (IOException e) {
        // Not JSON (a proxy's page): status alone.
      }
    }
    Duration retryAfter =
        response
            .headers()
            .firstValue("Retry-After")
            .filter(v -> v.matches("\\d{1,9}"))
            .map(v -> Duration.ofSeconds(Long.parseLong(v)))
            .orElse(null);
    return new HttpStatusException(operation, response.statusCode(), code, message, retryAfter);
  }

  /** Sends {@code request}, mapping I/O failures to {@link ServerUnreachableException}. */
  static <T> HttpResponse<T> send(
      HttpClient client, URI server, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws ServerUnreachableException, InterruptedException {
    try {
      return client.send(request, handler);
    } catch (IOException e) {
      throw unreachable(server, e);
    } catch (UnresolvedAddressException e) {
      throw new ServerUnreachableException(server, "unknown host", e);
    }
  }

  /** The failure for an I/O error talking to {@code server}. */
  static ServerUnreachableException unreachable(URI server, Throwable e) {
    Throwable c = e;
    while (c.getCause() != null
        && !(c instanceof ConnectException)
        && !(c instanceof HttpTimeoutException)) {
      c = c.getCause();
    }
    String what;
    if (c instanceof HttpConnectTimeoutException) {
      what = "connecting timed out";
    } else if (c instanceof HttpTimeoutException) {
      what = "no answer in time";
    } else if (c instanceof ConnectException || c instanceof UnresolvedAddressException) {
      what = "connection refused or host unknown";
    } else {
      what = "connection failed (" + e.getClass().getSimpleName() + ")";
    }
    return new ServerUnreachableException(server, what, e);
  }
}
