package org.sotto.server.accounts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

/** The optional encrypted device name: stored as given at linking, listed back, never required. */
class DeviceNameIntegrationTest {
  static TestServer server;
  static TestClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    client = server.client();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String code(TestDevice primary) {
    return client
        .call("POST", "/v1/devices/provisioning/code", null, primary)
        .json()
        .get("code")
        .asText();
  }

  @Test
  void link_withName_listReturnsTheSameOpaqueBytesAndNoneForThePrimary() {
    TestDevice primary = client.register(null);
    TestDevice second = TestDevice.generate(primary.identity);
    byte[] name = new byte[45];
    new java.security.SecureRandom().nextBytes(name);
    var req =
        new LinkDeviceRequest(
            primary.account(), code(primary), second.secret, second.deviceKeys(), name);

    assertEquals(200, client.call("POST", "/v1/devices/link", req, null).status());

    JsonNode list = client.call("GET", "/v1/devices", null, primary).json().get("devices");
    assertEquals(2, list.size());
    assertTrue(list.get(0).path("name").isNull() || list.get(0).path("name").isMissingNode());
    assertArrayEquals(name, Base64.getDecoder().decode(list.get(1).get("name").asText()));
  }

  @Test
  void link_nameTooLong_isRefusedWith400AndTheCodeStaysUsable() {
    TestDevice primary = client.register(null);
    String code = code(primary);
    TestDevice second = TestDevice.generate(primary.identity);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accountId", primary.account().toString());
    body.put("code", code);
    body.put("deviceSecret", second.secret);
    body.put("keys", second.deviceKeys());
    body.put(
        "name", Base64.getEncoder().encodeToString(new byte[LinkDeviceRequest.MAX_NAME_BYTES + 1]));

    var r = client.call("POST", "/v1/devices/link", body, null);

    assertEquals(400, r.status(), r.json()::toString);
    var ok = new LinkDeviceRequest(primary.account(), code, second.secret, second.deviceKeys());
    assertEquals(200, client.call("POST", "/v1/devices/link", ok, null).status());
  }
}
