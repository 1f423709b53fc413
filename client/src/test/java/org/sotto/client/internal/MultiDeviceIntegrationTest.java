package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.client.IncomingMessage;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.protocol.util.KeyHelper;
import org.sotto.server.testing.TestServer;

/**
 * Sends to accounts with several devices: a newly linked device (409 missing), a removed device
 * (409 extra) and copies to the sender's own other devices. The SDK has no linking yet, so the test
 * links a second device by hand with the SDK's own building blocks.
 */
class MultiDeviceIntegrationTest {
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

  private DefaultSottoClient register(String base) throws Exception {
    String handle = base + names.incrementAndGet();
    DefaultSottoClient c =
        DefaultSottoClient.register(
            server.uri(), handle, dir.resolve(handle), null, Clock.systemUTC(), new SecureRandom());
    open.add(c);
    return c;
  }

  /** Links a new device to {@code primary}'s account, sharing its identity key. */
  private DefaultSottoClient link(DefaultSottoClient primary, String name) throws Exception {
    SecureRandom rng = new SecureRandom();
    Path folder = dir.resolve(name);
    try (LocalStore store = LocalStore.create(folder, name, null, rng)) {
      SqliteProtocolStore protocol =
          SqliteProtocolStore.create(
              store,
              primary.protocolStore().getIdentityKeyPair(),
              KeyHelper.generateRegistrationId(rng));
      DeviceKeys keys = new PreKeys(store, protocol, Clock.systemUTC(), rng).initialKeys();
      byte[] s = new byte[DefaultSottoClient.SECRET_BYTES];
      rng.nextBytes(s);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(s);
      String code = primary.api().provisioningCode().code();
      RegisterResponse r =
          primary.api().linkDevice(new LinkDeviceRequest(primary.accountId(), code, secret, keys));
      new AccountRecord(
              server.uri().toString(), r.accountId().toString(), r.deviceId(), secret, null)
          .save(store);
    }
    DefaultSottoClient c =
        DefaultSottoClient.open(folder, name, null, Clock.systemUTC(), new SecureRandom());
    open.add(c);
    return c;
  }

  private static List<String> texts(List<IncomingMessage> messages) {
    return messages.stream().map(IncomingMessage::text).toList();
  }

  @Test
  void send_toAccountWithNewlyLinkedDevice_reachesBothDevices() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    alice.send(bob.accountId(), "one device");
    assertEquals(List.of("one device"), texts(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));

    DefaultSottoClient bob2 = link(bob, "bobsecond");
    alice.send(bob.accountId(), "two devices");

    assertEquals(List.of("two devices"), texts(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
    assertEquals(List.of("two devices"), texts(bob2.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
  }

  @Test
  void send_withOwnOtherDevice_copyReachesItUnderTheRecipientsConversation() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    DefaultSottoClient bob2 = link(bob, "bobother");

    bob.send(alice.accountId(), "from my first device");

    assertEquals(
        List.of("from my first device"),
        texts(alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
    List<IncomingMessage> copy = bob2.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(List.of("from my first device"), texts(copy));
    assertEquals(alice.accountId(), copy.get(0).conversation());
    assertEquals(bob.accountId(), copy.get(0).sender());
    assertEquals(1, bob2.history(alice.accountId().toString(), 10).size());
  }

  @Test
  void send_afterRecipientDeviceRemoved_dropsItsSessionAndDelivers() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    DefaultSottoClient bob2 = link(bob, "bobremoved");
    alice.send(bob.accountId(), "to both");
    assertEquals(List.of("to both"), texts(bob2.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));

    bob.api().removeDevice(new DeviceId(bob2.deviceId()));
    alice.send(bob.accountId(), "to the first only");

    assertEquals(
        List.of("to both", "to the first only"),
        texts(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
    assertEquals(List.of(DeviceId.PRIMARY.value()), alice.sessionsForTest(bob.accountId()));
  }

  @Test
  void send_afterRecipientDeviceReplaced_rebuildsSessionAndNewDeviceReceives() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    DefaultSottoClient old = link(bob, "bobold");
    alice.send(bob.accountId(), "to the old one");
    assertEquals(
        List.of("to the old one"), texts(old.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));

    bob.api().removeDevice(new DeviceId(old.deviceId()));
    DefaultSottoClient replacement = link(bob, "bobnew");
    alice.send(bob.accountId(), "to the new one");

    assertEquals(
        List.of("to the new one"),
        texts(replacement.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
    assertEquals(
        List.of("to the old one", "to the new one"),
        texts(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
    // The server reuses the freed device id, so Alice's send met 410 (stale registration id).
    assertEquals(old.deviceId(), replacement.deviceId());
  }
}
