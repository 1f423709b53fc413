package org.sotto.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.server.testing.RawHttp;
import org.sotto.server.testing.TestServer;

/**
 * Requests Jetty itself refuses before the router sees them must still get the API's JSON error
 * body, never Jetty's HTML page, and never an echo of the request.
 */
class JsonErrorPagesIntegrationTest {
  static TestServer server;
  static RawHttp raw;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    raw = new RawHttp(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/keys/%2e%2e/1",
        "/v1/keys/%2E%2E/%2e",
        "/v1/keys/a%2Fb/1",
        "/v1/profile/%2fetc%2fpasswd",
        "/v1/keys/a%5Cb/1",
        "/v1/%zz",
        "/v1/keys/%",
        "/v1/profile/%00",
        "/v1/keys//1",
        "/v1/../../etc/passwd",
        "/v1/keys/..;/1",
        "//v1/accounts/me",
        "*",
        "http://evil.example/v1/accounts/me",
        "v1/accounts/me",
      })
  void pathTrick_anyMethod_answersJsonErrorWithoutEcho(String target) {
    for (String method : new String[] {"GET", "PUT", "DELETE"}) {
      RawHttp.Response r = raw.request(method, target, Map.of(), null);
      assertJsonError(r, method + " " + target, "passwd", "evil", "%zz", "..;");
    }
  }

  @Test
  void overlongUri_answers414Json() {
    String target = "/v1/profile/" + "a".repeat(64 * 1024);
    RawHttp.Response r = raw.request("GET", target, Map.of(), null);
    assertEquals(414, r.status());
    assertJsonError(r, "overlong URI", "aaaaaaaa");
  }

  @Test
  void overlongHeader_answers431Json() {
    RawHttp.Response r =
        raw.request("GET", "/healthz", Map.of("X-Filler", "secret-" + "b".repeat(64 * 1024)), null);
    assertEquals(431, r.status());
    assertJsonError(r, "overlong header", "secret-", "bbbbbbbb");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GARBAGE\r\n\r\n",
        "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
        "GET /healthz\r\n\r\n",
        "G\u0001T /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Name: secret-v\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "POST /v1/accounts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, secret-te\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /he\u00e4lthz HTTP/1.1\r\nHost: x\r\n\r\n",
      })
  void badHttp_answersJsonErrorWithoutEcho(String request) {
    RawHttp.Response r = raw.exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    assertJsonError(r, request.replace("\r\n", "\\r\\n"), "GARBAGE", "secret-", "gzip");
  }

  @ParameterizedTest
  @ValueSource(strings = {"FOO", "TRACE", "CONNECT", "PATCH", "OPTIONS"})
  void unknownMethod_knownPath_answersJsonError(String method) {
    RawHttp.Response r = raw.request(method, "/v1/accounts/me", Map.of(), null);
    assertJsonError(r, method, "FOO");
  }

  @Test
  void afterAllThat_healthzStillAnswers() {
    raw.exchange("GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(200, raw.request("GET", "/healthz", Map.of(), null).status());
  }

  @Test
  void body_unknownStatus_usesReasonPhraseNotRequestData() {
    assertEquals("http_418", JsonErrorHandler.body(418).code());
    assertEquals("too_large", JsonErrorHandler.body(413).code());
  }

  /** A 4xx (or 5xx other than 500) whose body is exactly {code, message} and quotes nothing. */
  static void assertJsonError(RawHttp.Response r, String what, String... mustNotEcho) {
    assertTrue(r.status() >= 400 && r.status() != 500, what + ": status " + r.status());
    assertTrue(
        r.headers().getOrDefault("content-type", "").startsWith("application/json"),
        what + ": content type " + r.headers().get("content-type") + " body " + r.text());
    JsonNode json = r.jsonOrNull();
    assertNotNull(json, what + ": not JSON: " + r.text());
    assertTrue(json.path("code").isTextual(), what + ": " + r.text());
    assertTrue(json.path("message").isTextual(), what + ": " + r.text());
    String body = r.text().toLowerCase(Locale.ROOT);
    assertFalse(body.contains("<html"), what);
    for (String s : mustNotEcho) {
      assertFalse(body.contains(s.toLowerCase(Locale.ROOT)), what + " echoes " + s + ": " + body);
    }
  }
}
