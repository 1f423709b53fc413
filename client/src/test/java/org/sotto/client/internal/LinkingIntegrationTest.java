package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.client.DeviceException;
import org.sotto.client.IncomingMessage;
import org.sotto.client.LinkException;
import org.sotto.client.LinkedDevice;
import org.sotto.client.storage.LocalStore;
import org.sotto.server.testing.TestServer;

/** Device linking through the SDK against a real in-process server. */
class LinkingIntegrationTest {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration LINK_TIMEOUT = Duration.ofSeconds(60);
  private static final long WAIT_SECONDS = 60;
  private static final AtomicInteger names = new AtomicInteger();
  private static TestServer server;

  @TempDir Path dir;
  private final List<DefaultSottoClient> open = new ArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();

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
    executor.shutdownNow();
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

  /** A new device waiting for its provisioning message: its URI, and the link in progress. */
  private record Pending(URI uri, Future<DefaultSottoClient> result, Path folder) {}

  private Pending startLink(String deviceName, Duration timeout) throws Exception {
    Path folder = dir.resolve("linked" + names.incrementAndGet());
    CompletableFuture<URI> uri = new CompletableFuture<>();
    Future<DefaultSottoClient> result =
        executor.submit(
            () ->
                DefaultSottoClient.link(
                    server.uri(),
                    deviceName,
                    folder::resolve,
                    null,
                    uri::complete,
                    timeout,
                    Clock.systemUTC(),
                    new SecureRandom()));
    return new Pending(uri.get(WAIT_SECONDS, TimeUnit.SECONDS), result, folder);
  }

  /** Links a new device to {@code existing}'s account through the SDK, both sides. */
  private DefaultSottoClient link(DefaultSottoClient existing, String name) throws Exception {
    Pending p = startLink(name, LINK_TIMEOUT);
    existing.addDevice(p.uri());
    DefaultSottoClient c = p.result().get(WAIT_SECONDS, TimeUnit.SECONDS);
    open.add(c);
    return c;
  }

  /** The exception the pending link ended with. */
  private static Throwable failure(Pending p) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> p.result().get(WAIT_SECONDS, TimeUnit.SECONDS));
    return e.getCause();
  }

  /**
   * Neither the store nor any of its files exist in the folder linking chose for {@code handle}.
   */
  private static void assertNoStore(Pending p, String handle) throws java.io.IOException {
    Path storeDir = p.folder().resolve(handle);
    assertFalse(LocalStore.exists(storeDir, handle));
    assertEquals(List.of(), leftovers(storeDir), "no file of a half-made store is left");
  }

  private static List<String> leftovers(Path folder) throws java.io.IOException {
    if (!java.nio.file.Files.exists(folder)) {
      return List.of();
    }
    try (var files = java.nio.file.Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  private static List<String> texts(List<IncomingMessage> messages) {
    return messages.stream().map(IncomingMessage::text).toList();
  }

  @Test
  void link_bobsSecondDevice_bothBobDevicesReceiveAlicesMessages() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");

    DefaultSottoClient bob2 = link(bob, "Bob's laptop");
    alice.send(bob.account().handle(), "to both of Bob's devices");

    assertEquals(bob.accountId(), bob2.accountId());
    assertEquals(2, bob2.deviceId());
    assertEquals(bob.account().handle(), bob2.account().handle());
    assertEquals(
        bob.protocolStore().getIdentityKeyPair().identityKey(),
        bob2.protocolStore().getIdentityKeyPair().identityKey());
    assertEquals(
        List.of("to both of Bob's devices"),
        texts(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
    assertEquals(
        List.of("to both of Bob's devices"),
        texts(bob2.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
  }

  @Test
  void link_alicesSecondDevice_receivesCopiesOfHerSentMessagesUnderTheConversation()
      throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    // Fills Alice's cached own-device list ("no other device"); addDevice must invalidate it.
    alice.send(bob.accountId(), "before linking");

    DefaultSottoClient alice2 = link(alice, "Alice's tablet");
    alice.send(bob.accountId(), "after linking");

    List<IncomingMessage> copies = alice2.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
    assertEquals(List.of("after linking"), texts(copies));
    assertEquals(bob.accountId(), copies.get(0).conversation());
    assertEquals(alice.accountId(), copies.get(0).sender());
    assertEquals(
        List.of("after linking"),
        alice2.history(bob.accountId().toString(), 10).stream().map(h -> h.text()).toList());
  }

  @Test
  void link_carriesTheProfileKey_linkedDeviceSetsTheAccountsNameAtOnce() throws Exception {
    DefaultSottoClient bob = register("bob");
    DefaultSottoClient tablet = link(bob, "tablet");

    // No message from the primary yet: the key came with the provisioning message.
    tablet.setProfileName("Bob B");

    assertEquals(
        java.util.Optional.of("Bob B"), bob.profileName(bob.accountId().toString()).name());
  }

  @Test
  void devices_listsBothWithThisDeviceMarkedAndTheLinkedDevicesName() throws Exception {
    DefaultSottoClient bob = register("bob");
    DefaultSottoClient bob2 = link(bob, "Bob's laptop");

    assertEquals(
        List.of(new LinkedDevice(1, null, false), new LinkedDevice(2, "Bob's laptop", true)),
        bob2.devices());
    assertEquals(
        List.of(new LinkedDevice(1, null, true), new LinkedDevice(2, "Bob's laptop", false)),
        bob.devices());
    // The server holds only the encrypted name.
    byte[] stored = bob.api().deviceInfos().get(1).name();
    assertFalse(
        new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains("laptop"),
        "the server must not see the name");
  }

  @Test
  void link_forgedMessage_failsAsInvalidMessageAndCreatesNoStore() throws Exception {
    DefaultSottoClient bob = register("bob");
    Pending p = startLink(null, LINK_TIMEOUT);
    LinkUri uri = LinkUri.parse(p.uri());
    // Well-formed but encrypted to another key, as a forger who does not know the URI's key would.
    byte[] forged =
        ProvisioningCipher.encrypt(
            org.sotto.protocol.ecc.ECKeyPair.generate(new SecureRandom()).publicKey(),
            new byte[] {'{', '}'},
            new SecureRandom());

    bob.api().sendProvisioningMessage(uri.address(), forged);

    Throwable t = failure(p);
    assertTrue(t instanceof LinkException, String.valueOf(t));
    assertEquals(LinkException.Kind.INVALID_MESSAGE, ((LinkException) t).kind());
    assertNoStore(p, bob.account().handle());
  }

  @Test
  void link_messageDecryptingToGarbage_failsAsInvalidMessageAndCreatesNoStore() throws Exception {
    DefaultSottoClient bob = register("bob");
    Pending p = startLink(null, LINK_TIMEOUT);
    LinkUri uri = LinkUri.parse(p.uri());
    byte[] garbage =
        ProvisioningCipher.encrypt(uri.publicKey(), "not json".getBytes(), new SecureRandom());

    bob.api().sendProvisioningMessage(uri.address(), garbage);

    Throwable t = failure(p);
    assertEquals(LinkException.Kind.INVALID_MESSAGE, ((LinkException) t).kind());
    assertNoStore(p, bob.account().handle());
  }

  @Test
  void link_wrongProvisioningCode_failsAsCodeRejectedAndLeavesNoStore() throws Exception {
    DefaultSottoClient bob = register("bob");
    Pending p = startLink(null, LINK_TIMEOUT);
    LinkUri uri = LinkUri.parse(p.uri());
    byte[] plain =
        ProvisioningMessage.of(
                bob.accountId(),
                bob.account().handle(),
                bob.protocolStore().getIdentityKeyPair().serialize(),
                "not-the-code",
                null)
            .encode();

    bob.api()
        .sendProvisioningMessage(
            uri.address(), ProvisioningCipher.encrypt(uri.publicKey(), plain, new SecureRandom()));

    Throwable t = failure(p);
    assertEquals(LinkException.Kind.CODE_REJECTED, ((LinkException) t).kind(), String.valueOf(t));
    assertNoStore(p, bob.account().handle());
    assertEquals(1, bob.devices().size());
  }

  @Test
  void link_noAnswer_failsAsTimedOut() throws Exception {
    Pending p = startLink(null, Duration.ofMillis(500));

    Throwable t = failure(p);

    assertEquals(LinkException.Kind.TIMED_OUT, ((LinkException) t).kind(), String.valueOf(t));
  }

  @Test
  void addDevice_malformedUri_failsAsInvalidLinkUriWithoutContactingADevice() throws Exception {
    DefaultSottoClient bob = register("bob");
    String key = "A".repeat(43);
    for (String bad :
        List.of(
            "",
            "https://link?uuid=abc&pub_key=" + key,
            "sotto://other?uuid=abc&pub_key=" + key,
            "sotto://link/path?uuid=abc&pub_key=" + key,
            "sotto://link?uuid=abc",
            "sotto://link?uuid=abc&pub_key=" + key + "&extra=1",
            "sotto://link?uuid=abc&uuid=def&pub_key=" + key,
            "sotto://link?uuid=a/b&pub_key=" + key,
            "sotto://link?uuid=abc&pub_key=tooShort",
            "sotto://link?uuid=abc&pub_key=" + key + "#frag",
            "not a uri at all")) {
      LinkException e = assertThrows(LinkException.class, () -> bob.addDevice(bad), bad);
      assertEquals(LinkException.Kind.INVALID_LINK_URI, e.kind(), bad);
    }
    assertEquals(1, bob.devices().size());
  }

  @Test
  void addDevice_nobodyWaitingAtAddress_failsAsNoDeviceWaiting() throws Exception {
    DefaultSottoClient bob = register("bob");
    URI uri =
        new LinkUri(
                "nobodyHere",
                org.sotto.protocol.ecc.ECKeyPair.generate(new SecureRandom()).publicKey())
            .toUri();

    LinkException e = assertThrows(LinkException.class, () -> bob.addDevice(uri));

    assertEquals(LinkException.Kind.NO_DEVICE_WAITING, e.kind());
  }

  @Test
  void removeDevice_thisDevice_isRefusedWithATypedError() throws Exception {
    DefaultSottoClient bob = register("bob");
    DefaultSottoClient bob2 = link(bob, "second");

    DeviceException e = assertThrows(DeviceException.class, () -> bob2.removeDevice(2));

    assertEquals(DeviceException.Kind.THIS_DEVICE, e.kind());
    assertEquals(2, bob.devices().size());
    DeviceException none = assertThrows(DeviceException.class, () -> bob.removeDevice(5));
    assertEquals(DeviceException.Kind.NO_SUCH_DEVICE, none.kind());
  }

  @Test
  void removeDevice_thenSendsNoLongerGoThere() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    DefaultSottoClient bob2 = link(bob, "second");
    alice.send(bob.accountId(), "to both");
    assertEquals(List.of("to both"), texts(bob2.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
    // Bob's first device sends once, so its cached own-device list says "device 2 exists".
    bob.send(alice.accountId(), "copy to device 2");

    bob.removeDevice(2);
    alice.send(bob.accountId(), "to the first only");
    bob.send(alice.accountId(), "no copy now");

    assertEquals(List.of(new LinkedDevice(1, null, true)), bob.devices());
    assertEquals(
        List.of("to both", "to the first only"),
        texts(bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null)));
    assertEquals(List.of(1), alice.sessionsForTest(bob.accountId()));
  }
}
