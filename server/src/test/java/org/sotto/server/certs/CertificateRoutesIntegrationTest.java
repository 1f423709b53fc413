package org.sotto.server.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.SenderCertificateResponse;
import org.sotto.api.dto.ServerConfigResponse;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.sealed.SenderCertificate;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

class CertificateRoutesIntegrationTest {
  @Test
  void config_publishesTrustRootAndSettings() throws Exception {
    try (TestServer server =
        TestServer.start(c -> c.toBuilder().powBits(3).maxAttachmentBytes(12345).build())) {
      ServerConfigResponse config =
          server.client().call("GET", "/v1/config", null, null).as(ServerConfigResponse.class);
      assertEquals(33, config.trustRoot().length);
      assertEquals("open", config.registration());
      assertEquals(3, config.powBits());
      assertEquals(12345, config.maxAttachmentBytes());
      assertEquals(256 * 1024, config.maxEnvelopeBytes());
    }
    try (TestServer server = TestServer.start(c -> c.toBuilder().inviteOnly(true).build())) {
      ServerConfigResponse config =
          server.client().call("GET", "/v1/config", null, null).as(ServerConfigResponse.class);
      assertEquals("invite", config.registration());
    }
  }

  @Test
  void delivery_validatesUnderPublishedTrustRootFor24Hours() throws Exception {
    try (TestServer server = TestServer.start()) {
      TestClient client = server.client();
      TestDevice alice = client.register(null);
      ECPublicKey root =
          ECPublicKey.fromBytes(
              client
                  .call("GET", "/v1/config", null, null)
                  .as(ServerConfigResponse.class)
                  .trustRoot());
      long before = System.currentTimeMillis();
      var r = client.call("GET", "/v1/certificate/delivery", null, alice);
      assertEquals(200, r.status(), r.text());
      SenderCertificate cert =
          SenderCertificate.fromBytes(r.as(SenderCertificateResponse.class).certificate());
      cert.validate(root, System.currentTimeMillis());
      assertEquals(alice.account().toString(), cert.senderUuid());
      assertEquals(1, cert.senderDeviceId());
      assertArrayEquals(alice.identity.identityKey().serialize(), cert.identityKey().serialize());
      long lifetime = CertificateRoutes.SENDER_CERTIFICATE_LIFETIME.toMillis();
      assertTrue(cert.expiration() >= before + lifetime);
      assertTrue(cert.expiration() <= System.currentTimeMillis() + lifetime);
      assertThrows(
          InvalidCertificateException.class, () -> cert.validate(root, cert.expiration() + 1));
      ECPublicKey otherRoot =
          org.sotto.protocol.ecc.ECKeyPair.generate(new java.security.SecureRandom()).publicKey();
      assertThrows(
          InvalidCertificateException.class,
          () -> cert.validate(otherRoot, System.currentTimeMillis()));
    }
  }

  @Test
  void delivery_withoutCredentials_returns401() throws Exception {
    try (TestServer server = TestServer.start()) {
      assertEquals(
          401, server.client().call("GET", "/v1/certificate/delivery", null, null).status());
    }
  }

  @Test
  void restart_keepsTheTrustRoot() throws Exception {
    Path dir = Files.createTempDirectory("sotto-certs");
    try {
      byte[] first;
      try (TestServer server = TestServer.startOn(dir)) {
        first =
            server
                .client()
                .call("GET", "/v1/config", null, null)
                .as(ServerConfigResponse.class)
                .trustRoot();
      }
      try (TestServer server = TestServer.startOn(dir)) {
        assertArrayEquals(
            first,
            server
                .client()
                .call("GET", "/v1/config", null, null)
                .as(ServerConfigResponse.class)
                .trustRoot());
      }
    } finally {
      TestServer.deleteTree(dir);
    }
  }
}
