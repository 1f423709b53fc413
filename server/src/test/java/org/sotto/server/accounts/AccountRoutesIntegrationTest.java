package org.sotto.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.HandleRequest;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

class AccountRoutesIntegrationTest {
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

  @Test
  void register_validKeys_returnsAccountAndDeviceOne() {
    TestDevice alice = client.register("Alice_1");
    assertEquals(1, alice.address.device().value());
    JsonNode me = client.call("GET", "/v1/accounts/me", null, alice).json();
    assertEquals(alice.account().toString(), me.get("accountId").asText());
    assertEquals("alice_1", me.get("handle").asText());
  }

  @Test
  void register_takenHandleAnyCase_returns409() {
    client.register("bobby");
    TestDevice other = TestDevice.generate();
    var r = client.call("POST", "/v1/accounts", other.registerRequest("BOBBY"), null);
    assertEquals(409, r.status());
    assertEquals("handle_taken", r.json().get("code").asText());
  }

  @Test
  void register_badSignature_returns400AndCreatesNothing() throws Exception {
    TestDevice d = TestDevice.generate();
    var req = d.registerRequest("sigtest");
    byte[] sig = req.keys().signedPreKey().signature().clone();
    sig[0] ^= 1;
    var badKeys =
        new org.sotto.api.dto.DeviceKeys(
            req.keys().registrationId(),
            new org.sotto.api.dto.SignedPreKey(
                req.keys().signedPreKey().keyId(), req.keys().signedPreKey().publicKey(), sig),
            req.keys().lastResortKyberPreKey(),
            req.keys().preKeys(),
            req.keys().kyberPreKeys());
    var bad =
        new org.sotto.api.dto.RegisterRequest(
            "sigtest", req.identityKey(), req.deviceSecret(), badKeys, null, null);
    var r = client.call("POST", "/v1/accounts", bad, null);
    assertEquals(400, r.status());
    assertEquals("invalid_signature", r.json().get("code").asText());
    // The handle is still free: nothing was stored.
    assertEquals(
        200, client.call("POST", "/v1/accounts", d.registerRequest("sigtest"), null).status());
  }

  @Test
  void me_wrongSecret_returns401WithoutDetail() {
    TestDevice alice = client.register(null);
    var r =
        client.raw(
            "GET",
            "/v1/accounts/me",
            null,
            Map.of("Authorization", TestClient.basic(alice.account() + ".1", "x".repeat(30))));
    assertEquals(401, r.status());
    assertEquals("unauthorized", r.json().get("code").asText());
  }

  @Test
  void handle_setLookupClear_roundTrips() {
    TestDevice a = client.register(null);
    TestDevice b = client.register(null);
    assertEquals(
        204,
        client.call("PUT", "/v1/accounts/me/handle", new HandleRequest("Carol.X"), a).status());
    var found = client.call("GET", "/v1/accounts/handle/carol.x", null, b);
    assertEquals(200, found.status());
    assertEquals(a.account().toString(), found.json().get("accountId").asText());
    assertEquals(204, client.call("DELETE", "/v1/accounts/me/handle", null, a).status());
    assertEquals(404, client.call("GET", "/v1/accounts/handle/carol.x", null, b).status());
    assertNull(client.call("GET", "/v1/accounts/me", null, a).json().get("handle").textValue());
  }

  @Test
  void keys_fetchBundle_consumesOneTimeKeysThenFallsBack() {
    TestDevice a = client.register(null);
    TestDevice b = client.register(null);
    String path = "/v1/keys/" + a.account() + "/1";
    for (int i = 0; i < TestDevice.ONE_TIME_KEYS; i++) {
      JsonNode dev = client.call("GET", path, null, b).json().get("devices").get(0);
      assertNotNull(dev.get("preKey").get("publicKey"));
      assertEquals(101 + i, dev.get("kyberPreKey").get("keyId").asInt());
    }
    JsonNode last = client.call("GET", path, null, b).json().get("devices").get(0);
    assertEquals(true, last.get("preKey").isNull());
    assertEquals(999, last.get("kyberPreKey").get("keyId").asInt());
    JsonNode count = client.call("GET", "/v1/keys/count", null, a).json();
    assertEquals(0, count.get("ecCount").asInt());
    assertEquals(0, count.get("kyberCount").asInt());
  }

  @Test
  void deleteAccount_removesEverything() {
    TestDevice a = client.register("gone");
    assertEquals(204, client.call("DELETE", "/v1/accounts/me", null, a).status());
    assertEquals(401, client.call("GET", "/v1/accounts/me", null, a).status());
    TestDevice b = client.register(null);
    assertEquals(404, client.call("GET", "/v1/accounts/handle/gone", null, b).status());
    assertEquals(404, client.call("GET", "/v1/keys/" + a.account() + "/*", null, b).status());
  }
}
