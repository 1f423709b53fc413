package org.sotto.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.proto.Envelope;
import org.sotto.cli.testing.CliProcess;
import org.sotto.cli.testing.RedisProcess;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.client.SottoClient;
import org.sotto.server.cluster.RedisMessageBus;
import org.sotto.server.testing.PostgresTestDatabase;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestSocket;

/**
 * Two server nodes on one PostgreSQL database and one Redis: a message sent through node A (by a
 * real {@code sotto send} process) reaches the recipient's device connected to node B at once
 * (pushed over its socket, not found on a later poll), {@code --server-url} sends one invocation
 * through the other node, and a device's newer connection on one node closes its older one on the
 * other with code 4001, as on a single node.
 */
class CrossNodeDeliveryIntegrationTest {
  /** The nodes' polling interval while Redis is down; with Redis up they do not poll at all. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(RedisMessageBus.POLL_INTERVAL_MS);

  /**
   * A pushed message reaches the connected device within this time after the send returned: half
   * the polling interval, so a message found by a poll would often miss it, and with Redis up
   * (nothing polls) a message that was not pushed would not arrive at all.
   */
  static final Duration PUSHED_WITHIN = POLL_INTERVAL.dividedBy(2);

  /** Messages sent by real {@code sotto send} processes (one cold JVM each). */
  static final int CLI_MESSAGES = 3;

  /** The close code of a connection replaced by a newer one of the same device. */
  static final int CLOSE_REPLACED = 4001;

  /** {@code Envelope.Type.CIPHERTEXT}, for raw sends (the server never reads the contents). */
  static final int CIPHERTEXT = 1;

  private static PostgresTestDatabase db;
  private static Cluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    String redis = RedisProcess.requireLocal();
    db = PostgresTestDatabase.create();
    cluster = Cluster.start("cross-node", Cluster.args(db, redis));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  void send_viaNodeA_isPushedLiveToDeviceOnNodeB_andServerUrlPicksTheNode() throws Exception {
    Path aliceConfig = cluster.dir().resolve("config-alice");
    CliProcess.Result reg =
        CliProcess.run(
            aliceConfig, "register", "--server", cluster.a().uri().toString(), "--handle", "alice");
    assertEquals(0, reg.exit(), reg::toString);
    SottoClient bob = cluster.register("bob", cluster.b().uri());
    Inbox inbox = new Inbox();
    bob.startReceiving(inbox);
    inbox.awaitQueueEmpty(1, Duration.ofSeconds(30));
    for (ServerProcess node : List.of(cluster.a(), cluster.b())) {
      assertEquals("redis", Cluster.fanout(node), "Redis carries the events");
    }

    for (int i = 1; i <= CLI_MESSAGES; i++) {
      String text = "via node A " + i;
      long acceptedByA = Cluster.accepted(cluster.a());
      CliProcess.Result sent = CliProcess.run(aliceConfig, "send", "-m", text, "bob");
      long returned = System.nanoTime();
      assertEquals(0, sent.exit(), sent::toString);
      assertEquals(
          acceptedByA + 1, Cluster.accepted(cluster.a()), "sent through node A, her server");
      long arrived = inbox.await(text, Duration.ofSeconds(30));
      long lateMillis = (arrived - returned) / 1_000_000;
      assertTrue(
          lateMillis < PUSHED_WITHIN.toMillis(),
          text + " arrived " + lateMillis + " ms after the send returned\n" + cluster.logs());
    }

    // --server-url picks the node for one invocation: this send goes through B, not A.
    long acceptedByA = Cluster.accepted(cluster.a());
    long acceptedByB = Cluster.accepted(cluster.b());
    CliProcess.Result viaB =
        CliProcess.run(
            aliceConfig,
            "--server-url",
            cluster.b().uri().toString(),
            "send",
            "-m",
            "via node B",
            "bob");
    assertEquals(0, viaB.exit(), viaB::toString);
    assertEquals(acceptedByA, Cluster.accepted(cluster.a()), "nothing went through A");
    assertTrue(Cluster.accepted(cluster.b()) > acceptedByB, "the send went through B");
    inbox.await("via node B", Duration.ofSeconds(30));

    assertEquals(List.of(), inbox.errors());
    for (int i = 1; i <= CLI_MESSAGES; i++) {
      assertEquals(1, inbox.count("via node A " + i), "delivered once");
    }
    assertEquals(1, inbox.count("via node B"), "delivered once");
  }

  @Test
  void register_olderConnectionOnOtherNode_isClosedReplaced() throws Exception {
    TestDevice bob = new TestClient(cluster.a().uri()).register(null);
    TestDevice alice = new TestClient(cluster.b().uri()).register(null);

    try (TestSocket onA = TestSocket.delivery(cluster.a().uri(), bob)) {
      assertEquals(List.of(), onA.untilQueueEmpty());
      try (TestSocket onB = TestSocket.delivery(cluster.b().uri(), bob)) {
        assertEquals(List.of(), onB.untilQueueEmpty());

        TestSocket.Close close = onA.awaitClose();
        assertEquals(CLOSE_REPLACED, close.code(), "A's socket closed as replaced: " + close);
        // The newer connection, on B, is the live one: a message sent through A arrives there.
        byte[] content = {1, 2, 3};
        sendRaw(cluster.a().uri(), alice, bob, content);
        Envelope e = onB.nextEnvelope();
        assertEquals(ByteString.copyFrom(content), e.getContent());

        // And back: a newer connection on A replaces the one on B and gets the envelope B pushed
        // but was never acked for (at least once, across nodes).
        try (TestSocket again = TestSocket.delivery(cluster.a().uri(), bob)) {
          assertEquals(
              List.of(e.getGuid()),
              again.untilQueueEmpty().stream().map(Envelope::getGuid).toList(),
              "the unacked envelope is delivered again");
          assertEquals(CLOSE_REPLACED, onB.awaitClose().code(), "B's socket closed as replaced");
          assertFalse(again.isClosed(), "the newest connection stays open");
        }
      }
    }
  }

  private static void sendRaw(URI node, TestDevice from, TestDevice to, byte[] content) {
    TestClient.Result r =
        new TestClient(node)
            .call(
                "PUT",
                "/v1/messages/" + to.address.account(),
                new SendMessagesRequest(
                    List.of(
                        new OutgoingMessage(
                            CIPHERTEXT, to.address.device().value(), to.registrationId, content)),
                    System.currentTimeMillis()),
                from);
    assertEquals(200, r.status(), () -> "send answered " + r.status() + " " + r.text());
  }
}
