package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.PreKeyCount;
import org.sotto.client.IncomingMessage;
import org.sotto.server.testing.TestServer;

/** Prekey upkeep against a real server: refills and signed prekey rotation. */
class PreKeysIntegrationTest {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger names = new AtomicInteger();
  private static TestServer server;

  @TempDir Path dir;
  private final List<DefaultSottoClient> open = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @AfterEach
  void closeClients() throws Exception {
    for (DefaultSottoClient c : open) {
      c.close();
    }
  }

  private DefaultSottoClient register(String base, Clock clock) throws Exception {
    String handle = base + names.incrementAndGet();
    DefaultSottoClient c =
        DefaultSottoClient.register(
            server.uri(), handle, dir.resolve(handle), null, clock, new SecureRandom());
    open.add(c);
    return c;
  }

  @Test
  void register_uploadsOneBatchOfEachKind() throws Exception {
    DefaultSottoClient bob = register("bob", Clock.systemUTC());
    PreKeyCount count = bob.api().preKeyCount();
    assertEquals(PreKeys.BATCH, count.ecCount());
    assertEquals(PreKeys.BATCH, count.kyberCount());
  }

  @Test
  void receive_whenServerCountBelowMinimum_uploadsNewBatch() throws Exception {
    DefaultSottoClient alice = register("alice", Clock.systemUTC());
    DefaultSottoClient bob = register("bob", Clock.systemUTC());
    int take = PreKeys.BATCH - PreKeys.MIN_SERVER_COUNT + 1;
    for (int i = 0; i < take; i++) {
      alice.api().keyBundle(bob.accountId(), DeviceId.PRIMARY);
    }
    assertTrue(bob.api().preKeyCount().ecCount() < PreKeys.MIN_SERVER_COUNT);

    bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);

    PreKeyCount after = bob.api().preKeyCount();
    assertEquals(PreKeys.MIN_SERVER_COUNT - 1 + PreKeys.BATCH, after.ecCount());
    assertEquals(PreKeys.MIN_SERVER_COUNT - 1 + PreKeys.BATCH, after.kyberCount());
  }

  @Test
  void receive_whenCountsAreHighAndSignedKeyFresh_uploadsNothing() throws Exception {
    DefaultSottoClient bob = register("bob", Clock.systemUTC());
    int signedBefore = bob.protocolStore().loadSignedPreKeys().size();
    bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(PreKeys.BATCH, bob.api().preKeyCount().ecCount());
    assertEquals(signedBefore, bob.protocolStore().loadSignedPreKeys().size());
  }

  @Test
  void receive_signedPreKeyOlderThanMaxAge_isRotatedAndNewSessionsWork() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    DefaultSottoClient alice = register("alice", Clock.systemUTC());
    DefaultSottoClient bob = register("bob", clock);
    int first =
        bob.api()
            .keyBundle(bob.accountId(), DeviceId.PRIMARY)
            .devices()
            .get(0)
            .signedPreKey()
            .keyId();

    clock.advance(PreKeys.SIGNED_PREKEY_MAX_AGE.minusMinutes(1));
    bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(1, bob.protocolStore().loadSignedPreKeys().size(), "not due yet");

    clock.advance(Duration.ofMinutes(2));
    bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);

    int second =
        alice
            .api()
            .keyBundle(bob.accountId(), DeviceId.PRIMARY)
            .devices()
            .get(0)
            .signedPreKey()
            .keyId();
    assertNotEquals(first, second);
    assertEquals(
        2, bob.protocolStore().loadSignedPreKeys().size(), "previous kept for messages in flight");

    alice.send(bob.accountId(), "after rotation");
    List<IncomingMessage> got = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(List.of("after rotation"), got.stream().map(IncomingMessage::text).toList());

    clock.advance(PreKeys.SIGNED_PREKEY_MAX_AGE.plusMinutes(1));
    bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(PreKeys.SIGNED_PREKEYS_KEPT, bob.protocolStore().loadSignedPreKeys().size());
    assertFalse(
        bob.protocolStore().loadSignedPreKeys().stream().anyMatch(s -> s.id() == first),
        "the oldest is deleted");
  }
}
