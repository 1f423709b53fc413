package org.sotto.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.proto.Envelope;
import org.sotto.client.transport.Fixtures.Device;
import org.sotto.client.transport.RecordingListener.ConnectedEvent;
import org.sotto.client.transport.RecordingListener.EnvelopeEvent;
import org.sotto.client.transport.RecordingListener.QueueEmptyEvent;
import org.sotto.server.testing.TestServer;

/** {@link SendConnection} against a real in-process server. */
class SendConnectionIntegrationTest {
  private static TestServer server;
  private static ServerApi api;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    api = ServerApi.create(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** What {@code device} has queued, in order, as text (acked, so a second call sees only new). */
  private static List<String> received(ServerApi via, Device device) throws Exception {
    RecordingListener l = new RecordingListener();
    List<String> texts = new ArrayList<>();
    try (DeliveryConnection c = DeliveryConnection.open(via, device.credentials(), l)) {
      assertInstanceOf(ConnectedEvent.class, l.next());
      while (true) {
        Object event = l.next();
        if (event instanceof QueueEmptyEvent) {
          return texts;
        }
        Envelope e = assertInstanceOf(EnvelopeEvent.class, event).envelope();
        texts.add(e.getContent().toString(StandardCharsets.UTF_8));
        c.ack(e.getGuid());
      }
    }
  }

  @Test
  void send_fromTheSecondSendOn_goesOverTheSocket_andEveryMessageArrives() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    try (SendConnection c = SendConnection.of(alice.api(), alice.credentials())) {
      assertEquals(new SendResult.Sent(1), c.send(bob.account(), Fixtures.textTo("m1", bob)));
      assertFalse(c.socketOpen(), "a single send stays a plain request");
      assertEquals(new SendResult.Sent(1), c.send(bob.account(), Fixtures.textTo("m2", bob)));
      assertTrue(c.socketOpen());
      assertEquals(new SendResult.Sent(1), c.send(bob.account(), Fixtures.textTo("m3", bob)));
      assertTrue(c.socketOpen());
    }
    assertEquals(List.of("m1", "m2", "m3"), received(api, bob));
  }

  @Test
  void send_wrongDevicesOrUnknownAccount_sameAnswersAsHttp() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    Device bob2 = Fixtures.link(bob);
    Device gone = Fixtures.register(api, null);
    gone.api().deleteAccount();
    SendMessagesRequest missingAndExtra =
        Fixtures.request(
            Fixtures.message(1, 1, bob.keys().registrationId, "x"),
            Fixtures.message(1, 7, 1234, "x"));
    SendMessagesRequest stale =
        Fixtures.request(
            Fixtures.message(1, 1, bob.keys().registrationId ^ 1, "x"),
            Fixtures.message(1, 2, bob2.keys().registrationId, "x"));
    try (SendConnection c = SendConnection.of(alice.api(), alice.credentials())) {
      c.send(bob.account(), Fixtures.textTo("warm", bob, bob2));
      for (SendMessagesRequest bad : List.of(missingAndExtra, stale)) {
        SendResult overHttp = alice.api().send(bob.account(), bad);
        SendResult overSocket = c.send(bob.account(), bad);
        assertTrue(c.socketOpen());
        assertEquals(overHttp, overSocket);
      }
      assertEquals(
          new SendResult.MismatchedDevices(List.of(2), List.of(7)),
          c.send(bob.account(), missingAndExtra));
      assertEquals(new SendResult.StaleDevices(List.of(1)), c.send(bob.account(), stale));

      HttpStatusException http =
          assertThrows(
              HttpStatusException.class,
              () -> alice.api().send(gone.account(), Fixtures.textTo("x", gone)));
      HttpStatusException socket =
          assertThrows(
              HttpStatusException.class, () -> c.send(gone.account(), Fixtures.textTo("x", gone)));
      assertEquals(http.status(), socket.status());
      assertEquals(http.code(), socket.code());
      assertEquals(404, socket.status());
    }
    assertEquals(List.of("warm"), received(api, bob));
    assertEquals(List.of("warm"), received(api, bob2));
  }

  @Test
  void send_twoFullSizeEnvelopes_goOverTheSocketAndTheServerTakesThem() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    Device bob2 = Fixtures.link(bob);
    // The largest content the server stores, for two devices: the client's frame limit must not
    // exceed what the server's send socket takes, or such a send would close the socket.
    byte[] full = new byte[256 * 1024];
    List<OutgoingMessage> messages = new ArrayList<>();
    for (Device d : List.of(bob, bob2)) {
      messages.add(
          new OutgoingMessage(1, d.address().device().value(), d.keys().registrationId, full));
    }
    try (SendConnection c = SendConnection.of(alice.api(), alice.credentials())) {
      c.send(bob.account(), Fixtures.textTo("small", bob, bob2));
      assertEquals(
          new SendResult.Sent(2), c.send(bob.account(), new SendMessagesRequest(messages, 1L)));
      assertTrue(c.socketOpen(), "two full-size envelopes fit one frame");
      assertEquals(
          new SendResult.Sent(2), c.send(bob.account(), Fixtures.textTo("after", bob, bob2)));
    }
  }

  @Test
  void send_tooLargeForOneFrame_goesOverHttp() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    Device bob2 = Fixtures.link(bob);
    Device bob3 = Fixtures.link(bob);
    byte[] big = new byte[SendConnection.MAX_FRAME_BYTES / 3 + 1];
    List<OutgoingMessage> messages = new ArrayList<>();
    for (Device d : List.of(bob, bob2, bob3)) {
      messages.add(
          new OutgoingMessage(1, d.address().device().value(), d.keys().registrationId, big));
    }
    try (SendConnection c = SendConnection.of(alice.api(), alice.credentials())) {
      c.send(bob.account(), Fixtures.textTo("small", bob, bob2, bob3));
      SendResult r = c.send(bob.account(), new SendMessagesRequest(messages, 1L));
      assertEquals(new SendResult.Sent(3), r);
      assertFalse(c.socketOpen(), "a send over the frame limit must not use the socket");
    }
  }

  @Test
  void send_connectionCutBeforeTheAnswer_failsAsUnreachable_andTheNextSendReconnects()
      throws Exception {
    try (CuttingProxy proxy = new CuttingProxy(server.uri(), Long.MAX_VALUE)) {
      ServerApi viaProxy = ServerApi.create(proxy.uri());
      Device alice = Fixtures.register(viaProxy, null);
      Device bob = Fixtures.register(api, null);
      try (SendConnection c = SendConnection.of(alice.api(), alice.credentials())) {
        c.send(bob.account(), Fixtures.textTo("m1", bob));
        c.send(bob.account(), Fixtures.textTo("m2", bob));
        assertTrue(c.socketOpen());

        proxy.cutAfterMore(1);
        ServerUnreachableException e =
            assertThrows(
                ServerUnreachableException.class,
                () -> c.send(bob.account(), Fixtures.textTo("m3", bob)));
        assertTrue(proxy.didCut());
        assertTrue(e.getMessage().contains(proxy.uri().toString()), e.getMessage());
        assertFalse(c.socketOpen());

        assertEquals(new SendResult.Sent(1), c.send(bob.account(), Fixtures.textTo("m4", bob)));
        assertTrue(c.socketOpen(), "the next send opens a new socket");
      }
      // m3 reached the server before the cut, or did not: at most once, and nothing else is lost.
      List<String> got = received(api, bob);
      assertTrue(
          got.equals(List.of("m1", "m2", "m3", "m4")) || got.equals(List.of("m1", "m2", "m4")),
          got.toString());
    }
  }

  @Test
  void send_socketRefused_fallsBackToHttpAndItsAnswer() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    DeviceCredentials wrong = new DeviceCredentials(alice.address(), "x".repeat(40));
    try (SendConnection c = SendConnection.of(api.as(wrong), wrong)) {
      for (int i = 0; i < 3; i++) {
        HttpStatusException e =
            assertThrows(
                HttpStatusException.class, () -> c.send(bob.account(), Fixtures.textTo("x", bob)));
        assertEquals(401, e.status());
        assertFalse(e.getMessage().contains(wrong.secret()));
        assertFalse(c.socketOpen());
      }
    }
    assertEquals(List.of(), received(api, bob));
  }

  @Test
  void close_closesTheSocket_andLaterSendsUseHttp() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    SendConnection c = SendConnection.of(alice.api(), alice.credentials());
    c.send(bob.account(), Fixtures.textTo("a", bob));
    c.send(bob.account(), Fixtures.textTo("b", bob));
    assertTrue(c.socketOpen());
    c.close();
    assertFalse(c.socketOpen());
    assertEquals(new SendResult.Sent(1), c.send(bob.account(), Fixtures.textTo("c", bob)));
    assertFalse(c.socketOpen());
    c.close();
    assertEquals(List.of("a", "b", "c"), received(api, bob));
  }
}
