package org.sotto.server.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.ProvisioningMessageRequest;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.proto.ServerFrame;
import org.sotto.server.http.Json;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import org.sotto.server.testing.TestSocket;

class ProvisioningIntegrationTest {
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

  private static String address(TestSocket s) {
    ServerFrame f = s.next();
    assertTrue(f.hasProvisioningAddress(), f.getFrameCase().toString());
    String a = f.getProvisioningAddress().getAddress();
    assertTrue(a.length() >= 22, a);
    return a;
  }

  @Test
  void provisioning_relayThenLink_newDeviceReceivesMessages() throws Exception {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    try (TestSocket waiting = TestSocket.open(server.uri(), "/v1/provisioning", Map.of())) {
      String address = address(waiting);
      // The existing device creates a linking code and sends it (in real clients: encrypted
      // together with the identity key pair) to the waiting device.
      String code =
          client
              .call("POST", "/v1/devices/provisioning/code", null, alice)
              .json()
              .get("code")
              .asText();
      byte[] secret = new byte[200];
      new SecureRandom().nextBytes(secret);
      byte[] body = (code + ":").getBytes(StandardCharsets.UTF_8);
      byte[] message = new byte[body.length + secret.length];
      System.arraycopy(body, 0, message, 0, body.length);
      System.arraycopy(secret, 0, message, body.length, secret.length);
      var r =
          client.call(
              "PUT", "/v1/provisioning/" + address, new ProvisioningMessageRequest(message), alice);
      assertEquals(204, r.status(), r.text());
      ServerFrame f = waiting.next();
      assertTrue(f.hasProvisioningMessage(), f.getFrameCase().toString());
      assertArrayEquals(message, f.getProvisioningMessage().getBody().toByteArray());
      assertEquals(1000, waiting.awaitClose().code());
      // The address worked once.
      assertEquals(
          404,
          client
              .call(
                  "PUT",
                  "/v1/provisioning/" + address,
                  new ProvisioningMessageRequest(message),
                  alice)
              .status());

      String received = new String(message, 0, body.length - 1, StandardCharsets.UTF_8);
      TestDevice newDevice = TestDevice.generate(alice.identity);
      var linked =
          client.call(
              "POST",
              "/v1/devices/link",
              new LinkDeviceRequest(
                  alice.account(), received, newDevice.secret, newDevice.deviceKeys()),
              null);
      assertEquals(200, linked.status(), linked.text());
      newDevice =
          newDevice.registered(alice.account().toString(), linked.json().get("deviceId").asInt());

      var send =
          new SendMessagesRequest(
              List.of(
                  new OutgoingMessage(1, 1, alice.registrationId, new byte[] {1}),
                  new OutgoingMessage(
                      1,
                      newDevice.address.device().value(),
                      newDevice.registrationId,
                      new byte[] {2})),
              1);
      assertEquals(200, client.call("PUT", "/v1/messages/" + alice.account(), send, bob).status());
      try (TestSocket s = TestSocket.delivery(server.uri(), newDevice)) {
        var got = s.untilQueueEmpty();
        assertEquals(1, got.size());
        assertEquals(2, got.get(0).getContent().byteAt(0));
      }

      // Relayed in memory only: the secret bytes appear nowhere in the data folder.
      try (Stream<Path> files = Files.walk(server.dataDir())) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          assertFalse(contains(Files.readAllBytes(p), secret), p.getFileName().toString());
        }
      }
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void relay_unknownAddress_returns404() {
    TestDevice alice = client.register(null);
    var r =
        client.call(
            "PUT",
            "/v1/provisioning/AAAAAAAAAAAAAAAAAAAAAA",
            new ProvisioningMessageRequest(new byte[] {1}),
            alice);
    assertEquals(404, r.status());
    assertEquals(
        404,
        client
            .call(
                "PUT",
                "/v1/provisioning/" + "x".repeat(200),
                new ProvisioningMessageRequest(new byte[] {1}),
                alice)
            .status());
  }

  @Test
  void relay_unauthenticated_returns401AndSocketKeepsWaiting() {
    try (TestSocket waiting = TestSocket.open(server.uri(), "/v1/provisioning", Map.of())) {
      String address = address(waiting);
      var r =
          client.raw(
              "PUT",
              "/v1/provisioning/" + address,
              Json.write(new ProvisioningMessageRequest(new byte[] {1})),
              Map.of());
      assertEquals(401, r.status());
      assertFalse(waiting.isClosed());
      TestDevice alice = client.register(null);
      assertEquals(
          204,
          client
              .call(
                  "PUT",
                  "/v1/provisioning/" + address,
                  new ProvisioningMessageRequest(new byte[] {9}),
                  alice)
              .status());
      assertEquals(9, waiting.next().getProvisioningMessage().getBody().byteAt(0));
    }
  }

  @Test
  void provisioningSocket_clientFrame_closedWith1003() {
    try (TestSocket waiting = TestSocket.open(server.uri(), "/v1/provisioning", Map.of())) {
      address(waiting);
      waiting.send(new byte[] {1, 2, 3});
      assertEquals(1003, waiting.awaitClose().code());
    }
    try (TestSocket waiting = TestSocket.open(server.uri(), "/v1/provisioning", Map.of())) {
      // Anonymous: a large frame is refused by its size, before the server buffers it.
      address(waiting);
      waiting.sendExpectingClose(new byte[ProvisioningSocket.MAX_CLIENT_FRAME_BYTES + 1]);
      assertEquals(1009, waiting.awaitClose().code());
    }
    assertEquals(426, client.call("GET", "/v1/provisioning", null, null).status());
  }
}
