package org.sotto.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.server.cluster.Redises.await;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.server.messages.MessageBus.CloseReason;

/** The bus while its private Redis dies and comes back. */
class RedisMessageBusFailoverIntegrationTest {
  /**
   * A publish is a queue offer; one that waited on Redis would take the 500 ms command timeout. 100
   * ms leaves room for a loaded test machine.
   */
  static final long PROMPT_MS = 100;

  Redises.Own redis;
  RedisNode nodeA;
  RedisNode nodeB;
  RedisMessageBus busA;
  RedisMessageBus busB;
  Address device = new Address(AccountId.random(), DeviceId.PRIMARY);

  @BeforeEach
  void start() throws Exception {
    redis = Redises.Own.start();
    nodeA = RedisNode.start(redis.uri(), "a");
    nodeB = RedisNode.start(redis.uri(), "b");
    busA = new RedisMessageBus(nodeA, new RecordingListener());
    busB = new RedisMessageBus(nodeB, new RecordingListener());
    await("both nodes are healthy", () -> busA.healthy() && busB.healthy());
  }

  @AfterEach
  void stop() throws Exception {
    busA.close();
    busB.close();
    nodeA.close();
    nodeB.close();
    redis.close();
  }

  @Test
  void redisKilled_publishIsPrompt_busUnhealthy_pollerPokesListeners() throws Exception {
    RecordingListener onB = new RecordingListener();
    busB.register(device, onB);
    redis.kill();

    assertPrompt(busA);
    await("node B reports itself unhealthy", () -> !busB.healthy());
    await("node A reports itself unhealthy", () -> !busA.healthy());
    int before = onB.mail.get();
    // Two pokes need at most two poll intervals (plus scheduling slack).
    long pollStart = System.nanoTime();
    await("node B's poller pokes the listener twice", () -> onB.mail.get() >= before + 2);
    long pollMs = (System.nanoTime() - pollStart) / 1_000_000;
    assertTrue(
        pollMs <= 3 * RedisMessageBus.POLL_INTERVAL_MS,
        "two pokes took " + pollMs + " ms at a " + RedisMessageBus.POLL_INTERVAL_MS + " ms bound");
    assertEquals(List.of(), onB.closes);
  }

  @Test
  void redisHung_publishIsPrompt_busTurnsUnhealthy_pollerPokes() throws Exception {
    RecordingListener onB = new RecordingListener();
    busB.register(device, onB);
    redis.pause();
    try {
      assertPrompt(busA);
      await("node B notices the hung Redis", () -> !busB.healthy());
      int before = onB.mail.get();
      await("node B's poller pokes the listener", () -> onB.mail.get() > before);
      assertPrompt(busA);
    } finally {
      redis.resume();
    }
    await("both nodes recover", () -> busA.healthy() && busB.healthy());
  }

  /** Every kind of event returns at once whatever state Redis is in. */
  private void assertPrompt(RedisMessageBus bus) {
    for (int i = 0; i < 50; i++) {
      Address other = new Address(AccountId.random(), DeviceId.PRIMARY);
      long t0 = System.nanoTime();
      bus.mail(device);
      bus.removed(other);
      bus.accountDeleted(other.account());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < PROMPT_MS, "three publishes took " + ms + " ms");
    }
  }

  @Test
  void redisRestarted_busRecoversByItself_pokesOnce_thenStopsPolling() throws Exception {
    RecordingListener onB = new RecordingListener();
    busB.register(device, onB);
    redis.kill();
    await("node B reports itself unhealthy", () -> !busB.healthy());
    await("node B polls while Redis is down", () -> onB.mail.get() >= 1);

    redis.startProcess();
    await("both nodes recover by themselves", () -> busA.healthy() && busB.healthy());
    // Let any poke already under way finish, then nothing more may arrive without mail.
    Thread.sleep(RedisMessageBus.POLL_INTERVAL_MS / 2);
    int settled = onB.mail.get();
    Thread.sleep(3 * RedisMessageBus.POLL_INTERVAL_MS);
    assertEquals(settled, onB.mail.get(), "polling goes on after Redis came back");

    // Fan-out works again across nodes.
    busA.mail(device);
    await("node B hears mail through the restarted Redis", () -> onB.mail.get() == settled + 1);
    assertFalse(onB.closes.contains(null));
  }

  @Test
  void register_whileRedisDown_closesOlderConnectionElsewhereOnceRedisIsBack() throws Exception {
    RecordingListener onB = new RecordingListener();
    busB.register(device, onB);
    redis.kill();
    await("both nodes report themselves unhealthy", () -> !busA.healthy() && !busB.healthy());
    RecordingListener onA = new RecordingListener();
    busA.register(device, onA); // newer, but nobody else can hear of it yet
    redis.startProcess();
    await(
        "node B's older connection is replaced",
        () -> onB.closes.equals(List.of(CloseReason.REPLACED)));
    Thread.sleep(RedisMessageBus.POLL_INTERVAL_MS);
    assertEquals(List.of(), onA.closes, "the newer connection was closed");
  }

  @Test
  void redisRestarted_everyListenerIsPokedExactlyOnce() throws Exception {
    // A bus that never polls: every poke seen here is the recovery poke.
    RedisMessageBus quiet = new RedisMessageBus(nodeB, new RecordingListener(), 3_600_000);
    try {
      RecordingListener listener = new RecordingListener();
      quiet.register(new Address(AccountId.random(), DeviceId.PRIMARY), listener);
      redis.kill();
      await("node B reports itself unhealthy", () -> !quiet.healthy());
      assertEquals(0, listener.mail.get());
      redis.startProcess();
      await("node B recovers and pokes the listener", () -> listener.mail.get() == 1);
      assertTrue(quiet.healthy());
      Thread.sleep(2 * RedisMessageBus.POLL_INTERVAL_MS);
      assertEquals(1, listener.mail.get(), "poked more than once");
    } finally {
      quiet.close();
    }
  }
}
