package org.sotto.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.server.messages.Accounts.send;
import static org.sotto.server.messages.Accounts.text;
import static org.sotto.server.messages.Accounts.to;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.MismatchedDevices;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.dto.StaleDevices;
import org.sotto.api.proto.Envelope;
import org.sotto.server.http.Json;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import org.sotto.server.testing.TestSocket;

class MessageRoutesIntegrationTest {
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

  private static List<Envelope> queued(TestDevice d) {
    try (TestSocket s = TestSocket.delivery(server.uri(), d)) {
      return s.untilQueueEmpty();
    }
  }

  @Test
  void send_missingAndExtraDevices_returns409WithExactLists() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    TestDevice bob2 = client.link(bob);
    TestDevice bob3 = client.link(bob);
    TestDevice ghost = TestDevice.generate().registered(bob.account().toString(), 7);
    var r = send(client, alice, bob, to("x", bob, bob3, ghost));
    assertEquals(409, r.status());
    MismatchedDevices m = r.as(MismatchedDevices.class);
    assertEquals(List.of(bob2.address.device().value()), m.missingDevices());
    assertEquals(List.of(7), m.extraDevices());
    assertEquals(List.of(), queued(bob));
  }

  @Test
  void send_staleRegistrationIds_returns410WithExactList() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    TestDevice bob2 = client.link(bob);
    TestDevice bob3 = client.link(bob);
    int wrong1 = bob.registrationId == 1 ? 2 : 1;
    int wrong3 = bob3.registrationId == 1 ? 2 : 1;
    var req =
        new SendMessagesRequest(
            List.of(
                new OutgoingMessage(1, 1, wrong1, new byte[] {1}),
                new OutgoingMessage(1, 2, bob2.registrationId, new byte[] {1}),
                new OutgoingMessage(1, 3, wrong3, new byte[] {1})),
            1);
    var r = send(client, alice, bob, req);
    assertEquals(410, r.status());
    assertEquals(List.of(1, 3), r.as(StaleDevices.class).staleDevices());
    assertEquals(List.of(), queued(bob2));
  }

  @Test
  void send_toOwnAccount_excludesTheSendingDevice() {
    TestDevice alice = client.register(null);
    TestDevice alice2 = client.link(alice);
    var withSelf = send(client, alice, alice, to("x", alice, alice2));
    assertEquals(409, withSelf.status());
    assertEquals(List.of(1), withSelf.as(MismatchedDevices.class).extraDevices());
    assertEquals(200, send(client, alice, alice, to("sync", alice2)).status());
    List<Envelope> got = queued(alice2);
    assertEquals(1, got.size());
    assertEquals(alice.account().toString(), got.get(0).getSourceAccount());
    assertEquals(1, got.get(0).getSourceDevice());
  }

  @Test
  void send_envelopeOverLimit_returns413AndStoresNothing() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    var req =
        new SendMessagesRequest(
            List.of(
                new OutgoingMessage(
                    1, 1, bob.registrationId, new byte[MessageRoutes.MAX_CONTENT_BYTES + 1])),
            1);
    var r = send(client, alice, bob, req);
    assertEquals(413, r.status());
    assertEquals("too_large", r.json().get("code").asText());
    var atLimit =
        new SendMessagesRequest(
            List.of(
                new OutgoingMessage(
                    1, 1, bob.registrationId, new byte[MessageRoutes.MAX_CONTENT_BYTES])),
            1);
    assertEquals(200, send(client, alice, bob, atLimit).status());
    List<Envelope> got = queued(bob);
    assertEquals(1, got.size());
    assertEquals(MessageRoutes.MAX_CONTENT_BYTES, got.get(0).getContent().size());
  }

  @Test
  void send_bodyOverRouteLimit_returns413() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    byte[] body = new byte[MessageRoutes.MAX_BODY_BYTES + 1];
    java.util.Arrays.fill(body, (byte) ' ');
    var r =
        client.raw(
            "PUT",
            "/v1/messages/" + bob.account(),
            body,
            Map.of("Authorization", alice.basicAuth()));
    assertEquals(413, r.status());
  }

  @Test
  void send_unknownRecipient_returns404() {
    TestDevice alice = client.register(null);
    TestDevice nobody = TestDevice.generate().registered(java.util.UUID.randomUUID().toString(), 1);
    assertEquals(404, send(client, alice, nobody, to("x", nobody)).status());
  }

  @Test
  void send_badInput_returns400() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    assertEquals(400, client.call("PUT", "/v1/messages/not-a-uuid", to("x", bob), alice).status());
    var dup =
        new SendMessagesRequest(
            List.of(
                new OutgoingMessage(1, 1, bob.registrationId, new byte[] {1}),
                new OutgoingMessage(1, 1, bob.registrationId, new byte[] {2})),
            1);
    assertEquals(400, send(client, alice, bob, dup).status());
    var r = client.call("PUT", "/v1/messages/" + bob.account(), "{\"messages\":[]}", alice);
    assertEquals(400, r.status());
    assertEquals(List.of(), queued(bob));
  }

  @Test
  void sealedSender_rightKey_storedWithoutSource() {
    TestDevice bob = client.register(null);
    byte[] uak = new byte[16];
    new java.security.SecureRandom().nextBytes(uak);
    assertEquals(
        204, client.call("PUT", "/v1/profile", new ProfileRequest(new byte[0], uak), bob).status());
    var r =
        client.raw(
            "PUT",
            "/v1/messages/" + bob.account(),
            Json.write(to(6, "sealed", bob)),
            Map.of("Unidentified-Access-Key", Base64.getEncoder().encodeToString(uak)));
    assertEquals(200, r.status(), r.text());
    List<Envelope> got = queued(bob);
    assertEquals(1, got.size());
    Envelope e = got.get(0);
    assertEquals(Envelope.Type.UNIDENTIFIED_SENDER, e.getType());
    assertEquals("", e.getSourceAccount());
    assertEquals(0, e.getSourceDevice());
    assertEquals("sealed", text(e));
  }

  @Test
  void sealedSender_wrongMissingOrUnsetKey_returns401AndStoresNothing() {
    TestDevice bob = client.register(null);
    TestDevice carol = client.register(null); // never set a key
    byte[] uak = new byte[16];
    uak[0] = 5;
    client.call("PUT", "/v1/profile", new ProfileRequest(new byte[0], uak), bob);
    byte[] wrong = uak.clone();
    wrong[15] ^= 1;
    byte[] body = Json.write(to(6, "sealed", bob));
    String b64 = Base64.getEncoder().encodeToString(wrong);
    assertEquals(
        401,
        client
            .raw(
                "PUT",
                "/v1/messages/" + bob.account(),
                body,
                Map.of("Unidentified-Access-Key", b64))
            .status());
    assertEquals(401, client.raw("PUT", "/v1/messages/" + bob.account(), body, Map.of()).status());
    assertEquals(
        401,
        client
            .raw(
                "PUT",
                "/v1/messages/" + carol.account(),
                Json.write(to(6, "sealed", carol)),
                Map.of("Unidentified-Access-Key", b64))
            .status());
    assertEquals(
        401,
        client
            .raw(
                "PUT",
                "/v1/messages/" + java.util.UUID.randomUUID(),
                body,
                Map.of("Unidentified-Access-Key", Base64.getEncoder().encodeToString(uak)))
            .status());
    assertEquals(List.of(), queued(bob));
    assertEquals(List.of(), queued(carol));
  }

  @Test
  void sealedSender_rightKeyButIdentifiedType_returns400() {
    TestDevice bob = client.register(null);
    byte[] uak = new byte[16];
    uak[3] = 9;
    client.call("PUT", "/v1/profile", new ProfileRequest(new byte[0], uak), bob);
    var r =
        client.raw(
            "PUT",
            "/v1/messages/" + bob.account(),
            Json.write(to(1, "x", bob)),
            Map.of("Unidentified-Access-Key", Base64.getEncoder().encodeToString(uak)));
    assertEquals(400, r.status());
    assertEquals(List.of(), queued(bob));
  }

  @Test
  void send_accepted_countedInMetrics() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    Accounts.sendOk(client, alice, "m", bob);
    String metrics = client.call("GET", "/metrics", null, null).text();
    assertTrue(metrics.contains("sotto_messages_accepted_total"), metrics);
    assertFalse(metrics.contains("sotto_messages_accepted_total 0.0"), metrics);
  }
}
