package org.sotto.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Server URLs: normalised once, WebSocket URLs derived from them. */
class HttpTest {
  @Test
  void normalise_trailingSlashes_areRemoved() {
    assertEquals(
        URI.create("https://example.org/sotto"),
        Http.normalise(URI.create("https://example.org/sotto//")));
  }

  @Test
  void normalise_withUserInfo_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Http.normalise(URI.create("http://user:pw@example.org")));
  }

  @Test
  void normalise_otherScheme_throws() {
    assertThrows(
        IllegalArgumentException.class, () -> Http.normalise(URI.create("ftp://example.org")));
  }

  @Test
  void webSocket_mapsHttpToWsAndHttpsToWss_keepingThePathPrefix() {
    assertEquals(
        URI.create("ws://127.0.0.1:8080/v1/websocket"),
        Http.webSocket(URI.create("http://127.0.0.1:8080"), "/v1/websocket"));
    assertEquals(
        URI.create("wss://example.org/sotto/v1/provisioning"),
        Http.webSocket(URI.create("https://example.org/sotto"), "/v1/provisioning"));
  }
}
