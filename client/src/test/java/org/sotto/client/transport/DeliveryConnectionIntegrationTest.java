package org.sotto.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sotto.api.proto.Envelope;
import org.sotto.client.transport.Fixtures.Device;
import org.sotto.client.transport.RecordingListener.ConnectedEvent;
import org.sotto.client.transport.RecordingListener.DisconnectedEvent;
import org.sotto.client.transport.RecordingListener.DroppedEvent;
import org.sotto.client.transport.RecordingListener.EnvelopeEvent;
import org.sotto.client.transport.RecordingListener.QueueEmptyEvent;
import org.sotto.server.SottoServer;
import org.sotto.server.messages.MessageLimits;
import org.sotto.server.testing.TestServer;

/** {@link DeliveryConnection} against a real in-process server. */
class DeliveryConnectionIntegrationTest {
  @Test
  void open_withQueuedEnvelopes_deliversInOrderThenQueueEmpty_andAckDeletes() throws Exception {
    try (TestServer server = TestServer.start()) {
      ServerApi api = ServerApi.create(server.uri());
      Device alice = Fixtures.register(api, null);
      Device bob = Fixtures.register(api, null);
      for (int i = 0; i < 5; i++) {
        alice.api().send(bob.account(), Fixtures.textTo("m" + i, bob));
      }

      RecordingListener first = new RecordingListener();
      try (DeliveryConnection c = DeliveryConnection.open(api, bob.credentials(), first)) {
        assertInstanceOf(ConnectedEvent.class, first.next());
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          Envelope e = assertInstanceOf(EnvelopeEvent.class, first.next()).envelope();
          assertEquals(alice.account().toString(), e.getSourceAccount());
          got.add(e.getContent().toString(StandardCharsets.UTF_8));
          c.ack(e.getGuid());
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), got);
        assertInstanceOf(QueueEmptyEvent.class, first.next());

        alice.api().send(bob.account(), Fixtures.textTo("live", bob));
        Envelope live = assertInstanceOf(EnvelopeEvent.class, first.next()).envelope();
        assertEquals("live", live.getContent().toString(StandardCharsets.UTF_8));
        c.ack(live.getGuid());
      }
      assertEquals(DeliveryConnection.Ended.CLOSED, first.ended.get(5, TimeUnit.SECONDS));

      RecordingListener second = new RecordingListener();
      try (DeliveryConnection c = DeliveryConnection.open(api, bob.credentials(), second)) {
        assertInstanceOf(ConnectedEvent.class, second.next());
        assertInstanceOf(QueueEmptyEvent.class, second.next());
      }
    }
  }

  @Test
  void open_afterQueueOverflow_reportsDroppedCountThenNewestEnvelopes() throws Exception {
    MessageLimits limits =
        new MessageLimits(3, MessageLimits.MAX_AGE, MessageLimits.JANITOR_PERIOD);
    try (TestServer server = TestServer.start(limits)) {
      ServerApi api = ServerApi.create(server.uri());
      Device alice = Fixtures.register(api, null);
      Device bob = Fixtures.register(api, null);
      for (int i = 0; i < 5; i++) {
        alice.api().send(bob.account(), Fixtures.textTo("m" + i, bob));
      }

      RecordingListener l = new RecordingListener();
      try (DeliveryConnection c = DeliveryConnection.open(api, bob.credentials(), l)) {
        assertEquals(2, assertInstanceOf(DroppedEvent.class, l.nextFrame()).count());
        for (String expected : List.of("m2", "m3", "m4")) {
          Envelope e = assertInstanceOf(EnvelopeEvent.class, l.nextFrame()).envelope();
          assertEquals(expected, e.getContent().toString(StandardCharsets.UTF_8));
        }
        assertInstanceOf(QueueEmptyEvent.class, l.nextFrame());
        assertEquals(2, c.droppedCount());
      }
    }
  }

  @Test
  void open_withoutAck_redeliversOnNextConnection() throws Exception {
    try (TestServer server = TestServer.start()) {
      ServerApi api = ServerApi.create(server.uri());
      Device alice = Fixtures.register(api, null);
      Device bob = Fixtures.register(api, null);
      alice.api().send(bob.account(), Fixtures.textTo("again", bob));

      for (int round = 0; round < 2; round++) {
        RecordingListener l = new RecordingListener();
        try (DeliveryConnection c = DeliveryConnection.open(api, bob.credentials(), l)) {
          Envelope e = assertInstanceOf(EnvelopeEvent.class, l.nextFrame()).envelope();
          assertEquals("again", e.getContent().toString(StandardCharsets.UTF_8));
        }
      }
    }
  }

  @Test
  void serverRestart_onSameDataFolder_reconnectsAndDelivers() throws Exception {
    Path dir = Files.createTempDirectory("sotto-client-restart");
    SottoServer first = SottoServer.start(TestServer.testDefaults(dir));
    int port = first.uri().getPort();
    SottoServer second = null;
    try {
      ServerApi api = ServerApi.create(first.uri());
      Device alice = Fixtures.register(api, null);
      Device bob = Fixtures.register(api, null);
      RecordingListener l = new RecordingListener();
      try (DeliveryConnection c = DeliveryConnection.open(api, bob.credentials(), l)) {
        l.next(QueueEmptyEvent.class);

        first.close();
        l.next(DisconnectedEvent.class);
        // The client reconnects to a fixed URL, so the restarted server takes the same port.
        second = SottoServer.start(TestServer.testDefaults(dir).listen("127.0.0.1", port));
        l.next(ConnectedEvent.class);
        assertInstanceOf(QueueEmptyEvent.class, l.nextFrame());
        assertTrue(c.isConnected());

        alice.api().send(bob.account(), Fixtures.textTo("after restart", bob));
        Envelope e = assertInstanceOf(EnvelopeEvent.class, l.nextFrame()).envelope();
        assertEquals("after restart", e.getContent().toString(StandardCharsets.UTF_8));
      }
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
      TestServer.deleteTree(dir);
    }
  }

  @Test
  void secondConnectionOfSameDevice_endsTheFirstAsReplaced() throws Exception {
    try (TestServer server = TestServer.start()) {
      ServerApi api = ServerApi.create(server.uri());
      Device bob = Fixtures.register(api, null);
      RecordingListener older = new RecordingListener();
      RecordingListener newer = new RecordingListener();
      try (DeliveryConnection a = DeliveryConnection.open(api, bob.credentials(), older)) {
        older.next(QueueEmptyEvent.class);
        try (DeliveryConnection b = DeliveryConnection.open(api, bob.credentials(), newer)) {
          assertEquals(
              DeliveryConnection.Ended.REPLACED,
              older.ended.get(RecordingListener.WAIT.toSeconds(), TimeUnit.SECONDS));
          newer.next(QueueEmptyEvent.class);
          assertTrue(b.isConnected());
        }
      }
    }
  }

  @Test
  void removedDevice_endsAsDeviceRemoved() throws Exception {
    try (TestServer server = TestServer.start()) {
      ServerApi api = ServerApi.create(server.uri());
      Device bob = Fixtures.register(api, null);
      Device bob2 = Fixtures.link(bob);
      RecordingListener l = new RecordingListener();
      try (DeliveryConnection c = DeliveryConnection.open(api, bob2.credentials(), l)) {
        l.next(QueueEmptyEvent.class);

        bob.api().removeDevice(bob2.address().device());

        assertEquals(
            DeliveryConnection.Ended.DEVICE_REMOVED,
            l.ended.get(RecordingListener.WAIT.toSeconds(), TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void wrongSecret_endsAsUnauthorized() throws Exception {
    try (TestServer server = TestServer.start()) {
      ServerApi api = ServerApi.create(server.uri());
      Device bob = Fixtures.register(api, null);
      RecordingListener l = new RecordingListener();
      DeviceCredentials wrong = new DeviceCredentials(bob.address(), "y".repeat(40));

      try (DeliveryConnection c = DeliveryConnection.open(api, wrong, l)) {
        assertEquals(
            DeliveryConnection.Ended.UNAUTHORIZED,
            l.ended.get(RecordingListener.WAIT.toSeconds(), TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void malformedFrame_isDroppedWithoutCrash_andConnectionReopens() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x41, 0x42};
    byte[] queueEmpty =
        org.sotto.api.proto.ServerFrame.newBuilder()
            .setQueueEmpty(org.sotto.api.proto.QueueEmpty.getDefaultInstance())
            .build()
            .toByteArray();
    try (FakeWebSocketServer fake =
        new FakeWebSocketServer(List.of(List.of(garbage), List.of(queueEmpty)))) {
      DeviceCredentials creds =
          new DeviceCredentials(
              new org.sotto.api.Address(
                  org.sotto.api.AccountId.random(), org.sotto.api.DeviceId.PRIMARY),
              "z".repeat(40));
      RecordingListener l = new RecordingListener();

      try (DeliveryConnection c = DeliveryConnection.open(ServerApi.create(fake.uri()), creds, l)) {
        assertInstanceOf(ConnectedEvent.class, l.next());
        assertEquals("malformed server frame", l.next(DisconnectedEvent.class).reason());
        assertInstanceOf(ConnectedEvent.class, l.next());
        assertInstanceOf(QueueEmptyEvent.class, l.next());
        assertEquals(2, fake.connections());
      }
    }
  }
}
