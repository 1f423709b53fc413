package org.sotto.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sotto.cli.testing.RedisProcess;
import org.sotto.cli.testing.TcpProxy;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.PostgresTestDatabase;

/**
 * Bob's device reaches the cluster through a fail-over front (node A first, then B), as through a
 * load balancer, and is connected to node A when A is killed with SIGKILL: it reconnects by itself,
 * through the front, to node B, and receives everything Alice sent through B meanwhile (queued in
 * the shared database) and afterwards (pushed live), each message once.
 */
class NodeKillIntegrationTest {
  /** Messages in each phase: before the kill, while Bob is away, after he is back. */
  static final int PER_PHASE = 5;

  /**
   * Time for Bob's device to notice the dead node and reconnect: the SDK's first reconnect comes
   * after about a second.
   */
  static final Duration RECONNECT = Duration.ofSeconds(30);

  /** A live message reaches Bob within this time once he is connected. */
  static final Duration LIVE = Duration.ofSeconds(10);

  private PostgresTestDatabase db;
  private Cluster cluster;
  private TcpProxy front;

  @AfterEach
  void stop() throws Exception {
    try {
      if (front != null) {
        front.close();
      }
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
  void nodeKilled_deviceReconnectsToOtherNode_andReceivesQueuedAndLiveMessagesOnce()
      throws Exception {
    String redis = RedisProcess.requireLocal();
    db = PostgresTestDatabase.create();
    cluster = Cluster.start("node-kill", Cluster.args(db, redis));
    front = TcpProxy.start(List.of(cluster.a().uri(), cluster.b().uri()));
    SottoClient alice = cluster.register("alice", cluster.b().uri());
    SottoClient bob = cluster.register("bob", front.uri());
    Inbox inbox = new Inbox();
    bob.startReceiving(inbox);
    inbox.awaitQueueEmpty(1, Duration.ofSeconds(30));
    assertFalse(front.chosen().contains(cluster.b().uri()), "Bob went through node A");

    List<String> before = texts("before", PER_PHASE);
    for (String t : before) {
      alice.send("bob", t);
    }
    inbox.awaitAll(before, LIVE);

    cluster.a().kill();
    List<String> meanwhile = texts("meanwhile", PER_PHASE);
    for (String t : meanwhile) {
      alice.send("bob", t);
    }
    inbox.awaitQueueEmpty(2, RECONNECT); // the reconnected socket pushed the queue
    inbox.awaitAll(meanwhile, LIVE);
    List<URI> chosen = front.chosen();
    assertEquals(
        cluster.b().uri(), chosen.get(chosen.size() - 1), "Bob reconnected through node B");

    List<String> after = texts("after", PER_PHASE);
    for (String t : after) {
      alice.send("bob", t);
    }
    inbox.awaitAll(after, LIVE);

    assertEquals(3 * PER_PHASE, inbox.counts().size(), "nothing else arrived");
    inbox.counts().forEach((text, n) -> assertEquals(1, n, text + " arrived once"));
    assertEquals(List.of(), inbox.errors());
  }

  private static List<String> texts(String prefix, int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + " " + i).toList();
  }
}
