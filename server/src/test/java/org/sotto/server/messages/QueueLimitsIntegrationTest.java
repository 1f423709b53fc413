package org.sotto.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.server.messages.Accounts.sendOk;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.ServerFrame;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import org.sotto.server.testing.TestSocket;

class QueueLimitsIntegrationTest {
  @Test
  void queueFull_oldestDropped_deviceToldHowManyOnce() throws Exception {
    try (TestServer server =
        TestServer.start(
            new MessageLimits(3, MessageLimits.MAX_AGE, MessageLimits.JANITOR_PERIOD))) {
      TestClient client = server.client();
      TestDevice alice = client.register(null);
      TestDevice bob = client.register(null);
      for (int i = 0; i < 5; i++) {
        sendOk(client, alice, "m" + i, bob);
      }
      // Counted when dropped, before the device is told.
      String before = client.call("GET", "/metrics", null, null).text();
      assertTrue(
          before.contains("sotto_messages_dropped_total 2.0"),
          before.lines().filter(l -> l.contains("dropped")).toList().toString());
      try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
        ServerFrame first = s.next();
        assertTrue(first.hasDropped(), first.getFrameCase().toString());
        assertEquals(2, first.getDropped().getCount());
        List<Envelope> rest = s.untilQueueEmpty();
        assertEquals(List.of("m2", "m3", "m4"), rest.stream().map(Accounts::text).toList());
      }
      try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
        // Reported once: the next connection starts straight with the (unacked) queue.
        ServerFrame first = s.next();
        assertTrue(first.hasEnvelope(), first.getFrameCase().toString());
      }
      String metrics = client.call("GET", "/metrics", null, null).text();
      assertTrue(metrics.contains("sotto_messages_dropped_total 2.0"), metrics);
    }
  }

  @Test
  void envelopesOlderThanMaxAge_expiredAndReportedAsDropped() throws Exception {
    try (TestServer server =
        TestServer.start(
            new MessageLimits(
                MessageLimits.MAX_QUEUE, Duration.ofMillis(300), Duration.ofMillis(100)))) {
      TestClient client = server.client();
      TestDevice alice = client.register(null);
      TestDevice bob = client.register(null);
      sendOk(client, alice, "old1", bob);
      sendOk(client, alice, "old2", bob);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!client.call("GET", "/metrics", null, null).text().contains("sotto_queue_depth 0.0")) {
        assertTrue(System.nanoTime() < deadline, "envelopes not expired in time");
        Thread.sleep(50);
      }
      try (TestSocket s = TestSocket.delivery(server.uri(), bob)) {
        ServerFrame first = s.next();
        assertTrue(first.hasDropped(), first.getFrameCase().toString());
        assertEquals(2, first.getDropped().getCount());
        assertEquals(List.of(), s.untilQueueEmpty());
      }
      assertTrue(
          client
              .call("GET", "/metrics", null, null)
              .text()
              .contains("sotto_messages_dropped_total 2.0"));
    }
  }
}
