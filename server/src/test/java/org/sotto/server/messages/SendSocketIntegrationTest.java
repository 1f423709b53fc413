package org.sotto.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.server.messages.Accounts.sendOk;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.proto.Ack;
import org.sotto.api.proto.ClientFrame;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.OutgoingEnvelope;
import org.sotto.api.proto.SendRequest;
import org.sotto.api.proto.SendResponse;
import org.sotto.api.proto.ServerFrame;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import org.sotto.server.testing.TestSocket;

/** The send WebSocket: the same checks and storage as the HTTP send, answered frame by frame. */
class SendSocketIntegrationTest {
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

  private static TestSocket sendSocket(TestDevice device) {
    return TestSocket.open(
        server.uri(), DeliveryEndpoints.SEND_PATH, Map.of("Authorization", device.basicAuth()));
  }

  private static OutgoingEnvelope envelope(int type, TestDevice to, int device, String text) {
    return OutgoingEnvelope.newBuilder()
        .setType(type)
        .setDestinationDevice(device)
        .setDestinationRegistrationId(to.registrationId)
        .setContent(ByteString.copyFromUtf8(text))
        .build();
  }

  private static byte[] send(long id, TestDevice to, OutgoingEnvelope... messages) {
    return ClientFrame.newBuilder()
        .setSend(
            SendRequest.newBuilder()
                .setId(id)
                .setDestination(to.account().toString())
                .setTimestamp(System.currentTimeMillis())
                .addAllMessages(List.of(messages)))
        .build()
        .toByteArray();
  }

  private static SendResponse answer(TestSocket s) {
    ServerFrame f = s.next();
    assertEquals(ServerFrame.FrameCase.SEND_RESPONSE, f.getFrameCase());
    return f.getSendResponse();
  }

  @Test
  void send_toEveryDevice_storedWithSenderAndPushedToTheRecipient() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    TestDevice bob2 = client.link(bob);
    try (TestSocket s = sendSocket(alice)) {
      s.send(send(7, bob, envelope(1, bob, 1, "hello"), envelope(1, bob2, 2, "hello")));
      SendResponse r = answer(s);
      assertEquals(7, r.getId());
      assertEquals(200, r.getStatus());
      assertEquals(2, r.getStored());
      assertEquals("", r.getCode());
    }
    for (TestDevice d : List.of(bob, bob2)) {
      try (TestSocket delivery = TestSocket.delivery(server.uri(), d)) {
        List<Envelope> got = delivery.untilQueueEmpty();
        assertEquals(1, got.size());
        assertEquals("hello", got.get(0).getContent().toString(StandardCharsets.UTF_8));
        assertEquals(alice.account().toString(), got.get(0).getSourceAccount());
        assertEquals(1, got.get(0).getSourceDevice());
      }
    }
  }

  @Test
  void send_wrongDevices_answersAsTheHttpRouteAndStoresNothing() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    TestDevice bob2 = client.link(bob);
    try (TestSocket s = sendSocket(alice)) {
      s.send(send(1, bob, envelope(1, bob, 1, "x"), envelope(1, bob, 5, "x")));
      SendResponse mismatched = answer(s);
      assertEquals(409, mismatched.getStatus());
      assertEquals("mismatched_devices", mismatched.getCode());
      assertEquals(List.of(2), mismatched.getMissingDevicesList());
      assertEquals(List.of(5), mismatched.getExtraDevicesList());

      OutgoingEnvelope staleOne =
          envelope(1, bob, 1, "x").toBuilder()
              .setDestinationRegistrationId(bob.registrationId ^ 1)
              .build();
      s.send(send(2, bob, staleOne, envelope(1, bob2, 2, "x")));
      SendResponse stale = answer(s);
      assertEquals(410, stale.getStatus());
      assertEquals(List.of(1), stale.getStaleDevicesList());

      s.send(send(3, client.register(null), envelope(6, bob, 1, "sealed")));
      SendResponse sealed = answer(s);
      assertEquals(400, sealed.getStatus());
      assertEquals("invalid_field", sealed.getCode());

      byte[] badDestination =
          ClientFrame.newBuilder()
              .setSend(
                  SendRequest.newBuilder()
                      .setId(4)
                      .setDestination("not-an-account")
                      .setTimestamp(1)
                      .addMessages(envelope(1, bob, 1, "x")))
              .build()
              .toByteArray();
      s.send(badDestination);
      assertEquals(400, answer(s).getStatus());

      s.send(send(5, bob));
      SendResponse empty = answer(s);
      assertEquals(400, empty.getStatus());
      assertTrue(empty.getMessage().startsWith("messages"), empty.getMessage());
    }
    try (TestSocket delivery = TestSocket.delivery(server.uri(), bob)) {
      assertEquals(List.of(), delivery.untilQueueEmpty());
    }
  }

  @Test
  void send_unknownAccount_answers404() {
    TestDevice alice = client.register(null);
    TestDevice ghost = client.register(null);
    assertEquals(204, client.call("DELETE", "/v1/accounts/me", null, ghost).status());
    try (TestSocket s = sendSocket(alice)) {
      s.send(send(9, ghost, envelope(1, ghost, 1, "x")));
      SendResponse r = answer(s);
      assertEquals(9, r.getId());
      assertEquals(404, r.getStatus());
    }
  }

  @Test
  void sends_manyPipelined_eachAnsweredOnceAndAllStored() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    int count = SendSocket.MAX_SENDS_IN_FLIGHT * 3;
    try (TestSocket s = sendSocket(alice)) {
      for (int i = 0; i < count; i++) {
        s.send(send(100 + i, bob, envelope(1, bob, 1, "m" + i)));
      }
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < count; i++) {
        SendResponse r = answer(s);
        assertEquals(200, r.getStatus());
        assertTrue(ids.add(r.getId()), "answered twice: " + r.getId());
      }
      assertEquals(count, ids.size());
    }
    try (TestSocket delivery = TestSocket.delivery(server.uri(), bob)) {
      List<String> texts = new ArrayList<>();
      for (Envelope e : delivery.untilQueueEmpty()) {
        texts.add(e.getContent().toString(StandardCharsets.UTF_8));
      }
      assertEquals(count, texts.size());
      assertEquals(count, new HashSet<>(texts).size());
    }
  }

  @Test
  void frames_notASendOrMalformed_closeTheSocketAndStoreNothing() {
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);
    sendOk(client, alice, "keep", bob);
    byte[] ack =
        ClientFrame.newBuilder()
            .setAck(Ack.newBuilder().addGuids(ByteString.copyFrom(new byte[16])))
            .build()
            .toByteArray();
    record Bad(String name, byte[] bytes, int code) {}
    for (Bad b :
        List.of(
            new Bad("ack", ack, 1003),
            new Bad("garbage", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, 1007),
            new Bad("empty", new byte[0], 1003),
            new Bad("oversized", new byte[DeliveryEndpoints.MAX_CLIENT_MESSAGE_BYTES + 1], 1009))) {
      try (TestSocket s = sendSocket(alice)) {
        s.sendExpectingClose(b.bytes());
        assertEquals(b.code(), s.awaitClose().code(), b.name());
      }
    }
    try (TestSocket s = sendSocket(alice)) {
      s.sendText("hello");
      assertEquals(1003, s.awaitClose().code());
    }
    try (TestSocket delivery = TestSocket.delivery(server.uri(), bob)) {
      List<Envelope> got = delivery.untilQueueEmpty();
      assertEquals(List.of("keep"), got.stream().map(Accounts::text).toList());
      // A send socket never receives envelopes, and the delivery socket is not replaced by one.
      try (TestSocket s = sendSocket(bob)) {
        assertEquals(null, s.poll(Duration.ofMillis(300)));
      }
      assertTrue(!delivery.isClosed());
    }
  }

  @Test
  void upgrade_wrongCredentials_refusedWith401AndPlainGetTold426() {
    TestDevice alice = client.register(null);
    TestSocket.Refused refused =
        assertThrows(
            TestSocket.Refused.class,
            () ->
                TestSocket.open(
                    server.uri(),
                    DeliveryEndpoints.SEND_PATH,
                    Map.of(
                        "Authorization",
                        TestClient.basic(alice.account() + ".1", "x".repeat(40)))));
    assertEquals(401, refused.status());
    assertEquals(426, client.call("GET", DeliveryEndpoints.SEND_PATH, null, alice).status());
  }
}
