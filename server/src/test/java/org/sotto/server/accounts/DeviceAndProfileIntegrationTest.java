package org.sotto.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.server.auth.ProofOfWork;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

class DeviceAndProfileIntegrationTest {
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

  static TestDevice link(TestDevice primary) {
    return client.link(primary);
  }

  @Test
  void link_withCode_addsDeviceThatCanAuthenticate() {
    TestDevice primary = client.register(null);
    TestDevice second = link(primary);
    assertEquals(2, second.address.device().value());
    assertEquals(200, client.call("GET", "/v1/accounts/me", null, second).status());
    JsonNode list = client.call("GET", "/v1/devices", null, primary).json().get("devices");
    assertEquals(2, list.size());
  }

  @Test
  void link_codeUsedTwice_secondIsRefused() {
    TestDevice primary = client.register(null);
    String code =
        client
            .call("POST", "/v1/devices/provisioning/code", null, primary)
            .json()
            .get("code")
            .asText();
    TestDevice d1 = TestDevice.generate(primary.identity);
    TestDevice d2 = TestDevice.generate(primary.identity);
    var first = new LinkDeviceRequest(primary.account(), code, d1.secret, d1.deviceKeys());
    var second = new LinkDeviceRequest(primary.account(), code, d2.secret, d2.deviceKeys());
    assertEquals(200, client.call("POST", "/v1/devices/link", first, null).status());
    var r = client.call("POST", "/v1/devices/link", second, null);
    assertEquals(403, r.status());
    assertEquals("code_invalid", r.json().get("code").asText());
  }

  @Test
  void link_keysSignedByOtherIdentity_rejectedAndCodeKept() {
    TestDevice primary = client.register(null);
    String code =
        client
            .call("POST", "/v1/devices/provisioning/code", null, primary)
            .json()
            .get("code")
            .asText();
    TestDevice stranger = TestDevice.generate();
    var bad =
        new LinkDeviceRequest(primary.account(), code, stranger.secret, stranger.deviceKeys());
    var r = client.call("POST", "/v1/devices/link", bad, null);
    assertEquals(400, r.status());
    assertEquals("invalid_signature", r.json().get("code").asText());
    TestDevice good = TestDevice.generate(primary.identity);
    var ok = new LinkDeviceRequest(primary.account(), code, good.secret, good.deviceKeys());
    assertEquals(200, client.call("POST", "/v1/devices/link", ok, null).status());
  }

  @Test
  void link_seventhDevice_returns409() {
    TestDevice primary = client.register(null);
    for (int i = 2; i <= DeviceRoutes.MAX_DEVICES; i++) {
      assertEquals(i, link(primary).address.device().value());
    }
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> link(primary));
    assertTrue(e.getMessage().contains("409") && e.getMessage().contains("too_many_devices"));
  }

  @Test
  void removeDevice_secondDevice_loses_accessAndIdIsReused() {
    TestDevice primary = client.register(null);
    TestDevice second = link(primary);
    assertEquals(204, client.call("DELETE", "/v1/devices/2", null, primary).status());
    assertEquals(401, client.call("GET", "/v1/accounts/me", null, second).status());
    assertEquals(404, client.call("DELETE", "/v1/devices/2", null, primary).status());
    assertEquals(400, client.call("DELETE", "/v1/devices/1", null, primary).status());
    assertEquals(2, link(primary).address.device().value());
  }

  @Test
  void profile_setAndGet_returnsBlobButNeverTheAccessKey() {
    TestDevice a = client.register(null);
    TestDevice b = client.register(null);
    byte[] blob = {1, 2, 3, 4};
    byte[] uak = new byte[16];
    uak[0] = 42;
    assertEquals(204, client.call("PUT", "/v1/profile", new ProfileRequest(blob, uak), a).status());
    var r = client.call("GET", "/v1/profile/" + a.account(), null, b);
    assertEquals(200, r.status());
    assertEquals(Base64.getEncoder().encodeToString(blob), r.json().get("blob").asText());
    assertEquals(
        Base64.getEncoder().encodeToString(a.identity.identityKey().serialize()),
        r.json().get("identityKey").asText());
    assertFalse(r.text().contains(Base64.getEncoder().encodeToString(uak)));
  }

  @Test
  void register_withProofOfWork_requiresFreshSolvedChallenge() throws Exception {
    try (TestServer powServer = TestServer.start(c -> c.toBuilder().powBits(8).build())) {
      TestClient pc = powServer.client();
      TestDevice d = TestDevice.generate();
      var missing = pc.call("POST", "/v1/accounts", d.registerRequest(null), null);
      assertEquals(403, missing.status());
      assertEquals("proof_of_work_required", missing.json().get("code").asText());

      JsonNode ch = pc.call("POST", "/v1/registration/challenge", null, null).json();
      byte[] challenge = Base64.getDecoder().decode(ch.get("challenge").asText());
      assertEquals(8, ch.get("bits").asInt());
      long nonce = ProofOfWork.solve(challenge, 8);
      RegisterRequest base = d.registerRequest(null);
      var solved =
          new RegisterRequest(
              null,
              base.identityKey(),
              base.deviceSecret(),
              base.keys(),
              new org.sotto.api.dto.ProofOfWork(challenge, nonce),
              null);
      assertEquals(200, pc.call("POST", "/v1/accounts", solved, null).status());

      TestDevice again = TestDevice.generate();
      RegisterRequest reuse =
          new RegisterRequest(
              null,
              again.registerRequest(null).identityKey(),
              again.secret,
              again.deviceKeys(),
              new org.sotto.api.dto.ProofOfWork(challenge, nonce),
              null);
      var replay = pc.call("POST", "/v1/accounts", reuse, null);
      assertEquals(403, replay.status());
      assertEquals("proof_of_work_invalid", replay.json().get("code").asText());
    }
  }

  @Test
  void register_overPerIpLimit_returns429WithRetryAfter() throws Exception {
    try (TestServer limited = TestServer.start(c -> c.registrationsPerHour(2))) {
      TestClient lc = limited.client();
      lc.register(null);
      lc.register(null);
      var r = lc.call("POST", "/v1/accounts", TestDevice.generate().registerRequest(null), null);
      assertEquals(429, r.status());
      assertTrue(Long.parseLong(r.header("Retry-After")) > 0);
    }
  }
}
