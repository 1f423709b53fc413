package org.sotto.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.server.messages.Accounts.sendOk;
import static org.sotto.server.messages.Accounts.text;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.ServerFrame;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import org.sotto.server.testing.TestSocket;

class DeliverySocketIntegrationTest {
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

  private static List<String> texts(List<Envelope> envelopes) {
    return envelopes.stream().map(Accounts::text).toList();
  }

  @Test
  void connect_queuedForEveryDevice_pushedInOrderThenQueueEmptyThenLive() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    TestDevice bob2 = client.link(bob);
    for (int i = 0; i < 5; i++) {
      sendOk(client, alice, "m" + i, bob, bob2);
    }
    try (TestSocket s1 = TestSocket.delivery(server.uri(), bob);
        TestSocket s2 = TestSocket.delivery(server.uri(), bob2)) {
      for (TestSocket s : List.of(s1, s2)) {
        TestDevice d = s == s1 ? bob : bob2;
        List<Envelope> got = s.untilQueueEmpty();
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), texts(got));
        for (Envelope e : got) {
          assertEquals(alice.account().toString(), e.getSourceAccount());
          assertEquals(1, e.getSourceDevice());
          assertEquals(d.address.device().value(), e.getDestinationDevice());
          assertEquals(16, e.getGuid().size());
          assertTrue(e.getServerTimestamp() > 0);
        }
        assertEquals(5, got.stream().map(Envelope::getGuid).distinct().count());
      }
      sendOk(client, alice, "live1", bob, bob2);
      sendOk(client, alice, "live2", bob, bob2);
      for (TestSocket s : List.of(s1, s2)) {
        assertEquals("live1", text(s.nextEnvelope()));
        assertEquals("live2", text(s.nextEnvelope()));
        // QueueEmpty comes once per connection only.
        assertNull(s.poll(Duration.ofMillis(200)));
      }
    }
  }

  @Test
  void ack_deletesOnlyAcked_unackedRepushedAfterReconnect() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    for (int i = 0; i < 3; i++) {
      sendOk(client, alice, "m" + i, bob);
    }
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      List<Envelope> got = s.untilQueueEmpty();
      assertEquals(3, got.size());
      s.ack(got.subList(0, 2));
    }
    List<Envelope> again;
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      again = s.untilQueueEmpty();
      assertEquals(List.of("m2"), texts(again));
      s.ack(again);
    }
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      assertEquals(List.of(), s.untilQueueEmpty());
      // Acking again (or acking another device's guids) changes nothing.
      s.ack(again);
    }
    String metrics = client.call("GET", "/metrics", null, null).text();
    assertTrue(metrics.contains("sotto_delivery_latency_seconds_count"), metrics);
    assertFalse(metrics.contains("sotto_messages_delivered_total 0.0"), metrics);
  }

  @Test
  void ack_guidOfAnotherDevice_isIgnored() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    TestDevice carol = client.register(null);
    sendOk(client, alice, "for-bob", bob);
    List<Envelope> bobs;
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      bobs = s.untilQueueEmpty();
    }
    try (TestSocket s = TestSocket.delivery(server.uri(), carol)) {
      s.untilQueueEmpty();
      s.ack(bobs);
    }
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      assertEquals(List.of("for-bob"), texts(s.untilQueueEmpty()));
    }
  }

  @Test
  void connect_newerConnection_replacesOlderWithCloseCode() {
    TestDevice bob = client.register(null);
    TestDevice alice = client.register(null);
    try (TestSocket first = TestSocket.delivery(server.uri(), bob)) {
      first.untilQueueEmpty();
      try (TestSocket second = TestSocket.delivery(server.uri(), bob)) {
        second.untilQueueEmpty();
        TestSocket.Close c = first.awaitClose();
        assertEquals(MessageBus.CloseReason.REPLACED.code(), c.code());
        assertEquals(4001, c.code());
        assertEquals("replaced by a newer connection", c.reason());
        sendOk(client, alice, "to-second", bob);
        assertEquals("to-second", text(second.nextEnvelope()));
      }
    }
  }

  @Test
  void upgrade_missingOrWrongCredentials_refusedWith401() {
    TestDevice bob = client.register(null);
    var none =
        assertThrows(
            TestSocket.Refused.class,
            () -> TestSocket.open(server.uri(), "/v1/websocket", Map.of()));
    assertEquals(401, none.status());
    var wrong =
        assertThrows(
            TestSocket.Refused.class,
            () ->
                TestSocket.open(
                    server.uri(),
                    "/v1/websocket",
                    Map.of(
                        "Authorization", TestClient.basic(bob.account() + ".1", "x".repeat(40)))));
    assertEquals(401, wrong.status());
    // A plain GET is told to upgrade.
    assertEquals(426, client.call("GET", "/v1/websocket", null, bob).status());
  }

  @Test
  void frames_malformed_closedWithReasonAndStateUnchanged() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    sendOk(client, alice, "keep", bob);
    record Bad(String name, byte[] bytes, int code) {}
    byte[] shortGuidAck =
        org.sotto.api.proto.ClientFrame.newBuilder()
            .setAck(org.sotto.api.proto.Ack.newBuilder().addGuids(ByteString.copyFrom(new byte[5])))
            .build()
            .toByteArray();
    List<Bad> bad =
        List.of(
            new Bad("garbage", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, 1007),
            new Bad("truncated", new byte[] {0x0a, 0x10, 0x0a}, 1007),
            new Bad("short guid", shortGuidAck, 1007),
            new Bad("empty frame", new byte[0], 1003));
    for (Bad b : bad) {
      try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
        assertEquals(List.of("keep"), texts(s.untilQueueEmpty()), b.name());
        s.send(b.bytes());
        assertEquals(b.code(), s.awaitClose().code(), b.name());
      }
    }
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      s.untilQueueEmpty();
      s.sendText("hello");
      assertEquals(1003, s.awaitClose().code());
    }
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      // The delivery socket takes acks only: a send-sized frame is refused there.
      assertEquals(List.of("keep"), texts(s.untilQueueEmpty()));
      s.sendExpectingClose(new byte[DeliveryEndpoints.MAX_ACK_FRAME_BYTES + 1]);
      assertEquals(1009, s.awaitClose().code());
    }
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      assertEquals(List.of("keep"), texts(s.untilQueueEmpty()));
    }
    assertEquals(200, client.call("GET", "/healthz", null, null).status());
  }

  @Test
  void deviceRemoved_closesItsSocket() {
    TestDevice bob = client.register(null);
    TestDevice bob2 = client.link(bob);
    try (TestSocket s = TestSocket.delivery(server.uri(), bob2)) {
      s.untilQueueEmpty();
      assertEquals(
          204, client.call("DELETE", "/v1/devices/" + bob2.address.device(), null, bob).status());
      TestSocket.Close c = s.awaitClose();
      assertEquals(MessageBus.CloseReason.DEVICE_GONE.code(), c.code());
    }
  }

  @Test
  void accountDeleted_closesEverySocketOfIt() {
    TestDevice bob = client.register(null);
    TestDevice bob2 = client.link(bob);
    try (TestSocket s1 = TestSocket.delivery(server.uri(), bob);
        TestSocket s2 = TestSocket.delivery(server.uri(), bob2)) {
      s1.untilQueueEmpty();
      s2.untilQueueEmpty();
      assertEquals(204, client.call("DELETE", "/v1/accounts/me", null, bob).status());
      assertEquals(4002, s1.awaitClose().code());
      assertEquals(4002, s2.awaitClose().code());
    }
  }

  @Test
  void connectedDevices_gaugeFollowsSockets() throws Exception {
    TestDevice bob = client.register(null);
    long before = server.server().metrics().connectedDevices();
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      s.untilQueueEmpty();
      assertEquals(before + 1, server.server().metrics().connectedDevices());
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (server.server().metrics().connectedDevices() != before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(before, server.server().metrics().connectedDevices());
  }

  @Test
  void frames_areOnlyEnvelopesAndOneQueueEmpty() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    sendOk(client, alice, "a", bob);
    try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
      ServerFrame first = s.next();
      assertTrue(first.hasEnvelope());
      assertTrue(s.next().hasQueueEmpty());
    }
  }
}
