package org.sotto.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

class InvitesIntegrationTest {
  private static RegisterRequest withCode(TestDevice d, String code) {
    RegisterRequest r = d.registerRequest(null);
    return new RegisterRequest(
        r.handle(), r.identityKey(), r.deviceSecret(), r.keys(), r.proofOfWork(), code);
  }

  @Test
  void register_inviteMode_needsAnIssuedCodeUsableOnce() throws Exception {
    try (TestServer server = TestServer.start(c -> c.toBuilder().inviteOnly(true).build())) {
      TestClient client = server.client();
      // Issued while the server runs, through the database directly (as the CLI does).
      List<String> codes = Invites.issue(server.dataDir(), 2);
      assertEquals(2, codes.size());
      assertNotEquals(codes.get(0), codes.get(1));

      var none = client.call("POST", "/v1/accounts", withCode(TestDevice.generate(), null), null);
      assertEquals(403, none.status());
      assertEquals("invite_required", none.json().get("code").asText());

      var wrong =
          client.call("POST", "/v1/accounts", withCode(TestDevice.generate(), "nope"), null);
      assertEquals(403, wrong.status());
      assertEquals("invite_invalid", wrong.json().get("code").asText());

      var good =
          client.call("POST", "/v1/accounts", withCode(TestDevice.generate(), codes.get(0)), null);
      assertEquals(200, good.status(), good.text());

      var again =
          client.call("POST", "/v1/accounts", withCode(TestDevice.generate(), codes.get(0)), null);
      assertEquals(403, again.status());
      assertEquals("invite_invalid", again.json().get("code").asText());

      var second =
          client.call("POST", "/v1/accounts", withCode(TestDevice.generate(), codes.get(1)), null);
      assertEquals(200, second.status());
    }
  }

  @Test
  void issue_countOutOfRange_refused() throws Exception {
    try (TestServer server = TestServer.start()) {
      assertThrows(IllegalArgumentException.class, () -> Invites.issue(server.dataDir(), 0));
      assertThrows(
          IllegalArgumentException.class,
          () -> Invites.issue(server.dataDir(), Invites.MAX_PER_CALL + 1));
    }
  }
}
