package org.sotto.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.server.cluster.Redises.await;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.server.messages.MessageBus.CloseReason;
import redis.clients.jedis.Jedis;

/**
 * Two nodes (two buses over two Redis connections) in one JVM, on a private Redis so that events of
 * other test runs on the shared one cannot disturb the exact counts asserted here.
 */
class RedisMessageBusIntegrationTest {
  static Redises.Own redis;

  RedisNode nodeA;
  RedisNode nodeB;
  RecordingListener forgetA = new RecordingListener();
  RecordingListener forgetB = new RecordingListener();
  RedisMessageBus busA;
  RedisMessageBus busB;
  Address device = new Address(AccountId.random(), new DeviceId(2));

  @BeforeAll
  static void startRedis() throws Exception {
    redis = Redises.Own.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void start() {
    nodeA = RedisNode.start(redis.uri(), "a");
    nodeB = RedisNode.start(redis.uri(), "b");
    busA = new RedisMessageBus(nodeA, forgetA);
    busB = new RedisMessageBus(nodeB, forgetB);
    await("both nodes are healthy", () -> busA.healthy() && busB.healthy());
  }

  @AfterEach
  void stop() {
    busA.close();
    busB.close();
    nodeA.close();
    nodeB.close();
  }

  @Test
  void mail_onNodeA_reachesListenerOnNodeB() {
    RecordingListener onB = new RecordingListener();
    busB.register(device, onB);
    busA.mail(device);
    await("node B's listener hears the mail", () -> onB.mail.get() == 1);
    assertEquals(List.of(), onB.closes);
  }

  @Test
  void mail_localListener_isToldAtOnce() {
    RecordingListener onA = new RecordingListener();
    busA.register(device, onA);
    busA.mail(device);
    assertEquals(1, onA.mail.get(), "told before mail() returned");
  }

  @Test
  void register_olderConnectionOnOtherNode_isClosedReplaced() {
    RecordingListener onA = new RecordingListener();
    RecordingListener onB = new RecordingListener();
    busA.register(device, onA);
    busB.register(device, onB);
    await(
        "node A's older connection is replaced",
        () -> onA.closes.equals(List.of(CloseReason.REPLACED)));
    // Node B's newer connection keeps receiving mail, node A's is gone.
    busA.mail(device);
    await("node B hears mail sent through A", () -> onB.mail.get() == 1);
    assertEquals(List.of(), onB.closes);
    assertEquals(0, onA.mail.get());
  }

  @Test
  void register_lateOlderAnnouncement_neverClosesNewerConnection() {
    RecordingListener onA = new RecordingListener();
    busA.register(device, onA);
    String prefix = "R|elsewhere|" + device.account() + "|" + device.device().value() + "|";
    try (Jedis j = new Jedis("127.0.0.1", redis.port)) {
      // An announcement older than A's registration (token 1), delivered late ...
      j.publish(RedisNode.BUS_CHANNEL, prefix + 1);
      // ... then a mail event, so we know the announcement was processed before it.
      j.publish(RedisNode.BUS_CHANNEL, "M|elsewhere|" + device.account() + "|2");
      await("the mail after the late announcement arrives", () -> onA.mail.get() == 1);
      assertEquals(List.of(), onA.closes, "a late older announcement closed the newer connection");
      // A genuinely newer announcement does close it: the check above was not vacuous.
      // Tokens are Redis's clock in ms times 1,000: one a minute ahead is newer than A's.
      j.publish(RedisNode.BUS_CHANNEL, prefix + (System.currentTimeMillis() + 60_000) * 1000);
    }
    await(
        "a newer announcement replaces A", () -> onA.closes.equals(List.of(CloseReason.REPLACED)));
  }

  @Test
  void removed_reachesEveryNode_closesAndForgets() {
    RecordingListener onB = new RecordingListener();
    busB.register(device, onB);
    busA.removed(device);
    await(
        "node B closes the removed device",
        () -> onB.closes.equals(List.of(CloseReason.DEVICE_GONE)));
    await(
        "node B forgets the device's credentials", () -> forgetB.forgotten.equals(List.of(device)));
    assertEquals(List.of(), forgetA.forgotten, "the origin node forgets through its own caller");
  }

  @Test
  void accountDeleted_reachesEveryNode_closesAllDevicesAndForgets() {
    Address other = new Address(device.account(), new DeviceId(1));
    RecordingListener onA = new RecordingListener();
    RecordingListener onB = new RecordingListener();
    busA.register(other, onA);
    busB.register(device, onB);
    busA.accountDeleted(device.account());
    assertEquals(List.of(CloseReason.DEVICE_GONE), onA.closes, "the local device closes at once");
    await(
        "node B closes the account's device",
        () -> onB.closes.equals(List.of(CloseReason.DEVICE_GONE)));
    await("node B forgets the account", () -> forgetB.forgotten.equals(List.of(device.account())));
  }

  @Test
  void received_malformedMessages_areIgnored() {
    RecordingListener onA = new RecordingListener();
    busA.register(device, onA);
    for (String m :
        List.of(
            "",
            "|",
            "M",
            "M|x|not-an-account|2",
            "M|x|" + device.account() + "|zz",
            "R|x|a|b|c",
            "Q|x|y|z")) {
      busA.received(m);
    }
    busA.received("M|x|" + device.account() + "|2");
    assertEquals(1, onA.mail.get());
    assertEquals(List.of(), onA.closes);
    assertTrue(busA.healthy());
  }

  @Test
  void subscriber_idleLongerThanItsReadTimeout_staysSubscribed() throws Exception {
    RecordingListener onB = new RecordingListener();
    busB.register(device, onB);
    // Pings keep the subscriber's connection from timing out while no event flows.
    long until = System.nanoTime() + (RedisNode.SUBSCRIBER_READ_TIMEOUT_MS + 1_500) * 1_000_000L;
    while (System.nanoTime() < until) {
      assertTrue(busA.healthy() && busB.healthy(), "a node dropped out while idle");
      Thread.sleep(100);
    }
    busA.mail(device);
    await("node B still hears mail", () -> onB.mail.get() == 1);
  }
}
