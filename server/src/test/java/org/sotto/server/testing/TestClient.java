package org.sotto.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.sotto.server.http.Json;

/**
 * A minimal HTTP client for tests: sends JSON or raw bodies with optional credentials and returns
 * status and body. Thread-safe.
 */
public final class TestClient {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final URI base;

  /** A client for the server at {@code base}. */
  public TestClient(URI base) {
    this.base = base;
  }

  /** A response: status, body bytes, headers. */
  public record Result(int status, byte[] body, Map<String, java.util.List<String>> headers) {
    /** The body parsed as JSON. */
    public JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The body as a DTO. */
    public <T> T as(Class<T> type) {
      return Json.read(body, type);
    }

    /** The body as text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /**
   * Sends {@code method path} with a JSON body ({@code null} for none) and Basic credentials (or
   * null).
   */
  public Result call(String method, String path, Object json, TestDevice as) {
    byte[] body = json == null ? null : (json instanceof byte[] b ? b : Json.write(json));
    return raw(method, path, body, as == null ? Map.of() : Map.of("Authorization", as.basicAuth()));
  }

  /** Sends raw bytes with the given headers. */
  public Result raw(String method, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null && !headers.containsKey("Content-Type")) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    try {
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Result(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Registers a fresh account with real keys (handle may be null) and returns its first device. */
  public TestDevice register(String handle) {
    TestDevice d = TestDevice.generate();
    Result r = call("POST", "/v1/accounts", d.registerRequest(handle), null);
    if (r.status() != 200) {
      throw new IllegalStateException("registration failed: " + r.status() + " " + r.text());
    }
    return d.registered(r.json().get("accountId").asText(), r.json().get("deviceId").asInt());
  }

  /** Links a new device to {@code primary}'s account through a fresh provisioning code. */
  public TestDevice link(TestDevice primary) {
    String code =
        call("POST", "/v1/devices/provisioning/code", null, primary).json().get("code").asText();
    return linkWithCode(primary, code);
  }

  /** Links a new device to {@code primary}'s account with {@code code}; fails unless 200. */
  public TestDevice linkWithCode(TestDevice primary, String code) {
    TestDevice d = TestDevice.generate(primary.identity);
    Result r =
        call(
            "POST",
            "/v1/devices/link",
            new org.sotto.api.dto.LinkDeviceRequest(
                primary.account(), code, d.secret, d.deviceKeys()),
            null);
    if (r.status() != 200) {
      throw new IllegalStateException("link failed: " + r.status() + " " + r.text());
    }
    return d.registered(primary.account().toString(), r.json().get("deviceId").asInt());
  }

  /** Basic credentials for arbitrary user and password (for negative tests). */
  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The base URI. */
  public URI base() {
    return base;
  }
}
