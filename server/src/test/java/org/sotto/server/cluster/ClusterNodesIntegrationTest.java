package org.sotto.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.server.cluster.Redises.await;

import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.ProvisioningMessageRequest;
import org.sotto.api.proto.ServerFrame;
import org.sotto.server.messages.MessageBus;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import org.sotto.server.testing.TestSocket;
import redis.clients.jedis.Jedis;

/**
 * Two real server nodes joined by the shared Redis. Until the nodes share a database each has its
 * own data folder, so only what needs no shared store is tested here: the provisioning relay, the
 * health report and the Redis gauge.
 */
class ClusterNodesIntegrationTest {
  static TestServer nodeA;
  static TestServer nodeB;

  @BeforeAll
  static void start() throws Exception {
    nodeA =
        TestServer.start(c -> c.toBuilder().redisUrl(Redises.shared()).nodeId(nodeId("a")).build());
    nodeB =
        TestServer.start(c -> c.toBuilder().redisUrl(Redises.shared()).nodeId(nodeId("b")).build());
    // A node registers provisioning sockets in Redis only once its connection is up.
    for (TestServer node : new TestServer[] {nodeA, nodeB}) {
      await("a node's Redis is up", () -> Boolean.TRUE.equals(node.server().metrics().redisUp()));
    }
  }

  /**
   * A node id no other process on the shared Redis uses (a node left running by a benchmark or an
   * earlier run would otherwise answer on the same channel).
   */
  private static String nodeId(String name) {
    return "t" + name + "-" + java.util.UUID.randomUUID().toString().substring(0, 18);
  }

  @AfterAll
  static void stop() throws Exception {
    nodeA.close();
    nodeB.close();
  }

  @Test
  void provisioning_socketOnNodeA_messagePutOnNodeB_isRelayedOnce() throws Exception {
    TestClient clientB = nodeB.client();
    TestDevice existing = clientB.register(null);
    try (TestSocket waiting = TestSocket.open(nodeA.uri(), "/v1/provisioning", Map.of())) {
      ServerFrame f = waiting.next();
      assertTrue(f.hasProvisioningAddress(), f.getFrameCase().toString());
      String address = f.getProvisioningAddress().getAddress();
      byte[] ciphertext = new byte[300];
      new SecureRandom().nextBytes(ciphertext);
      var r =
          clientB.call(
              "PUT",
              "/v1/provisioning/" + address,
              new ProvisioningMessageRequest(ciphertext),
              existing);
      assertEquals(204, r.status(), r.text());
      ServerFrame m = waiting.next();
      assertTrue(m.hasProvisioningMessage(), m.getFrameCase().toString());
      assertArrayEquals(ciphertext, m.getProvisioningMessage().getBody().toByteArray());
      assertEquals(1000, waiting.awaitClose().code());
      var again =
          clientB.call(
              "PUT",
              "/v1/provisioning/" + address,
              new ProvisioningMessageRequest(ciphertext),
              existing);
      assertEquals(404, again.status(), "an address works once");
    }
  }

  @Test
  void provisioning_ownerNodeHasNoSocketForTheAddress_is404() {
    TestClient clientB = nodeB.client();
    TestDevice existing = clientB.register(null);
    String address = "stale" + System.nanoTime();
    try (Jedis j = new Jedis(Redises.SHARED.getHost(), Redises.SHARED.getPort())) {
      // A record pointing at node A, whose socket is gone (as after a crash before cleanup).
      j.set(RedisProvisioningRelay.KEY_PREFIX + address, RedisNode.nodeChannel("node-a"));
    }
    var r =
        clientB.call(
            "PUT",
            "/v1/provisioning/" + address,
            new ProvisioningMessageRequest(new byte[] {1}),
            existing);
    assertEquals(404, r.status(), "node A answered that nothing waits there");
  }

  @Test
  void provisioning_unknownAddress_is404OnEveryNode() {
    TestClient clientB = nodeB.client();
    TestDevice existing = clientB.register(null);
    var r =
        clientB.call(
            "PUT",
            "/v1/provisioning/AAAAAAAAAAAAAAAAAAAAAA",
            new ProvisioningMessageRequest(new byte[] {1}),
            existing);
    assertEquals(404, r.status(), r.text());
  }

  @Test
  void health_clusterNode_reportsRedisFanOutAndGauge() {
    await("node A is healthy", () -> Boolean.TRUE.equals(nodeA.server().metrics().redisUp()));
    var health = nodeA.client().call("GET", "/healthz", null, null);
    assertEquals(200, health.status());
    assertEquals("ok", health.json().get("status").asText());
    assertEquals("redis", health.json().get("fanout").asText());
    String metrics = nodeA.client().call("GET", "/metrics", null, null).text();
    assertTrue(metrics.contains("sotto_redis_up 1.0"), "no sotto_redis_up gauge at 1");
  }

  @Test
  void health_redisDown_stays200AndReportsDegradedPolling() throws Exception {
    try (Redises.Own redis = Redises.Own.start();
        TestServer node = TestServer.start(c -> c.toBuilder().redisUrl(redis.uri()).build())) {
      await("the node is healthy", () -> Boolean.TRUE.equals(node.server().metrics().redisUp()));
      redis.kill();
      await("the node notices", () -> Boolean.FALSE.equals(node.server().metrics().redisUp()));
      var health = node.client().call("GET", "/healthz", null, null);
      assertEquals(200, health.status());
      assertEquals("degraded", health.json().get("status").asText());
      assertEquals("polling", health.json().get("fanout").asText());
      String metrics = node.client().call("GET", "/metrics", null, null).text();
      assertTrue(metrics.contains("sotto_redis_up 0.0"), "no sotto_redis_up gauge at 0");
    }
  }

  @Test
  void deliverySocket_newerRegistrationOnAnotherNode_closesItWith4001() {
    TestClient clientA = nodeA.client();
    TestDevice device = clientA.register(null);
    try (TestSocket socket = TestSocket.delivery(nodeA.uri(), device);
        RedisNode other = RedisNode.start(Redises.shared(), "other");
        RedisMessageBus otherBus = new RedisMessageBus(other, new RecordingListener())) {
      assertTrue(socket.next().hasQueueEmpty());
      await("the other node is healthy", otherBus::healthy);
      otherBus.register(device.address, new RecordingListener());
      assertEquals(MessageBus.CloseReason.REPLACED.code(), socket.awaitClose().code());
    }
  }

  @Test
  void deliverySocket_deviceRemovedOnAnotherNode_closesItWith4002() {
    TestClient clientA = nodeA.client();
    TestDevice device = clientA.register(null);
    try (TestSocket socket = TestSocket.delivery(nodeA.uri(), device);
        RedisNode other = RedisNode.start(Redises.shared(), "other");
        RedisMessageBus otherBus = new RedisMessageBus(other, new RecordingListener())) {
      assertTrue(socket.next().hasQueueEmpty());
      await("the other node is healthy", otherBus::healthy);
      otherBus.removed(device.address);
      assertEquals(MessageBus.CloseReason.DEVICE_GONE.code(), socket.awaitClose().code());
    }
  }
}
