package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.client.IncomingMessage;
import org.sotto.client.ProfileName;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.protocol.util.KeyHelper;
import org.sotto.server.testing.TestServer;

/** A linked device has no profile key of its own: it adopts the primary device's. */
class LinkedDeviceProfileKeyIntegrationTest {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger names = new AtomicInteger();

  private static TestServer server;

  @TempDir Path dir;

  private final List<SottoClient> open = new ArrayList<>();

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
    for (SottoClient c : open) {
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

  /** Links a new device to {@code primary}'s account (the SDK has no linking yet). */
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

  private static List<String> receive(DefaultSottoClient c) throws Exception {
    return c.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).stream()
        .map(IncomingMessage::text)
        .toList();
  }

  @Test
  void linkedDevice_adoptsPrimaryKeyFromItsSentCopies_andCanThenSetTheName() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient alice2 = link(alice, "alicesecond" + names.incrementAndGet());
    DefaultSottoClient bob = register("bob");

    assertTrue(alice2.profiles().ownKey().isEmpty(), "a linked device makes no key of its own");
    assertThrows(SottoException.class, () -> alice2.setProfileName("too early"));

    alice.send(bob.accountId(), "hello bob");
    assertEquals(List.of("hello bob"), receive(alice2));
    assertArrayEquals(
        alice.profiles().ownKey().orElseThrow(), alice2.profiles().ownKey().orElseThrow());

    alice2.setProfileName("Alice (laptop)");
    receive(bob);
    assertEquals(ProfileName.of("Alice (laptop)"), bob.profileName(alice.accountId().toString()));
  }
}
