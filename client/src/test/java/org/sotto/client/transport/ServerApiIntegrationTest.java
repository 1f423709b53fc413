package org.sotto.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.api.AccountId;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.AccountInfo;
import org.sotto.api.dto.AttachmentCreated;
import org.sotto.api.dto.KeyBundleResponse;
import org.sotto.api.dto.KeyUploadRequest;
import org.sotto.api.dto.PowChallenge;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.PreKeyCount;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.api.dto.ProfileResponse;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.api.dto.ServerConfigResponse;
import org.sotto.client.transport.Fixtures.Device;
import org.sotto.protocol.sealed.SenderCertificate;
import org.sotto.protocol.util.KeyHelper;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

/** Every {@link ServerApi} call against a real in-process server that demands proof-of-work. */
class ServerApiIntegrationTest {
  private static final int POW_BITS = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static TestServer server;
  private static ServerApi api;

  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(c -> c.toBuilder().powBits(POW_BITS).build());
    api = ServerApi.create(server.uri());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void register_withProofOfWork_createsAccountThatAuthenticates() throws Exception {
    Device alice = Fixtures.register(api, "alice_pow");

    AccountInfo info = alice.api().accountInfo();

    assertEquals(alice.account(), info.accountId());
    assertEquals(1, info.deviceId());
    assertEquals("alice_pow", info.handle());
  }

  @Test
  void registrationChallenge_reportsDifficulty_andUnsolvedRegistrationIsRefused() throws Exception {
    PowChallenge challenge = api.registrationChallenge();
    assertEquals(POW_BITS, challenge.bits());
    TestDevice d = TestDevice.generate();

    HttpStatusException e =
        assertThrows(
            HttpStatusException.class,
            () ->
                api.register(
                    new RegisterRequest(
                        null,
                        d.identity.identityKey().serialize(),
                        d.secret,
                        d.deviceKeys(),
                        null,
                        null)));

    assertEquals(403, e.status());
    assertEquals("proof_of_work_required", e.code());
  }

  @Test
  void accountInfo_withWrongSecret_throws401WithoutTheSecret() throws Exception {
    Device alice = Fixtures.register(api, null);
    String wrong = "x".repeat(40);
    ServerApi impostor = api.as(new DeviceCredentials(alice.address(), wrong));

    HttpStatusException e = assertThrows(HttpStatusException.class, impostor::accountInfo);

    assertEquals(401, e.status());
    assertEquals("unauthorized", e.code());
    assertFalse(e.getMessage().contains(wrong));
    assertFalse(impostor.toString().contains(wrong));
    assertFalse(alice.credentials().toString().contains(alice.credentials().secret()));
  }

  @Test
  void deviceCall_withoutCredentials_isRefusedBeforeAnyRequest() {
    assertThrows(IllegalStateException.class, api::accountInfo);
  }

  @Test
  void handles_setLookupTakenClear() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);

    alice.api().setHandle("Alice_Handles");
    assertEquals(Optional.of(alice.account()), bob.api().lookupHandle("alice_handles"));
    HttpStatusException taken =
        assertThrows(HttpStatusException.class, () -> bob.api().setHandle("alice_handles"));
    assertEquals(409, taken.status());
    assertEquals("handle_taken", taken.code());

    alice.api().clearHandle();
    assertEquals(Optional.empty(), bob.api().lookupHandle("alice_handles"));
    assertNull(alice.api().accountInfo().handle());
  }

  @Test
  void lookupHandle_beyondRateLimit_throws429WithRetryAfter() throws Exception {
    Device alice = Fixtures.register(api, null);
    HttpStatusException limited = null;
    for (int i = 0; i < 100 && limited == null; i++) {
      try {
        alice.api().lookupHandle("nobody_here");
      } catch (HttpStatusException e) {
        limited = e;
      }
    }

    assertNotNull(limited, "no 429 within 100 lookups");
    assertEquals(429, limited.status());
    assertEquals("rate_limited", limited.code());
    assertTrue(limited.retryAfter().isPresent());
  }

  @Test
  void keys_countFetchOneAndAllUpload() throws Exception {
    Device bob = Fixtures.register(api, null);
    Device bob2 = Fixtures.link(bob);
    Device alice = Fixtures.register(api, null);
    assertEquals(
        new PreKeyCount(TestDevice.ONE_TIME_KEYS, TestDevice.ONE_TIME_KEYS),
        bob.api().preKeyCount());

    KeyBundleResponse one = alice.api().keyBundle(bob.account(), DeviceId.PRIMARY);
    assertArrayEquals(bob.keys().identity.identityKey().serialize(), one.identityKey());
    assertEquals(1, one.devices().size());
    assertEquals(bob.keys().registrationId, one.devices().get(0).registrationId());
    assertNotNull(one.devices().get(0).preKey());
    assertEquals(TestDevice.ONE_TIME_KEYS - 1, bob.api().preKeyCount().ecCount());

    KeyBundleResponse all = alice.api().keyBundles(bob.account());
    assertEquals(
        List.of(1, bob2.address().device().value()),
        all.devices().stream().map(b -> b.deviceId()).sorted().toList());

    bob.api()
        .uploadKeys(
            new KeyUploadRequest(
                List.of(
                    new PreKey(
                        500,
                        KeyHelper.generatePreKey(500, RANDOM).keyPair().publicKey().serialize())),
                List.of(),
                null,
                null));
    assertEquals(TestDevice.ONE_TIME_KEYS - 1, bob.api().preKeyCount().ecCount());
  }

  @Test
  void keyBundle_ofUnknownAccount_throws404() throws Exception {
    Device alice = Fixtures.register(api, null);

    HttpStatusException e =
        assertThrows(HttpStatusException.class, () -> alice.api().keyBundles(AccountId.random()));

    assertEquals(404, e.status());
    assertEquals("not_found", e.code());
  }

  @Test
  void devices_linkListRemove() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device second = Fixtures.link(alice);

    assertEquals(List.of(DeviceId.PRIMARY, second.address().device()), alice.api().devices());
    assertEquals(second.address().device().value(), second.api().accountInfo().deviceId());

    alice.api().removeDevice(second.address().device());

    assertEquals(List.of(DeviceId.PRIMARY), alice.api().devices());
    assertEquals(401, assertThrows(HttpStatusException.class, second.api()::accountInfo).status());
  }

  @Test
  void profile_setThenGet() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    byte[] blob = randomBytes(100);

    alice.api().setProfile(new ProfileRequest(blob, randomBytes(16)));
    ProfileResponse p = bob.api().profile(alice.account());

    assertArrayEquals(blob, p.blob());
    assertArrayEquals(alice.keys().identity.identityKey().serialize(), p.identityKey());
  }

  @Test
  void send_toEveryDevice_returnsSent() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    Device bob2 = Fixtures.link(bob);

    SendResult r = alice.api().send(bob.account(), Fixtures.textTo("hi", bob, bob2));

    assertEquals(new SendResult.Sent(2), r);
  }

  @Test
  void send_missingAndExtraDevices_returnsMismatchedDevices() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    Device bob2 = Fixtures.link(bob);

    SendResult r =
        alice
            .api()
            .send(
                bob.account(),
                Fixtures.request(
                    Fixtures.message(1, 1, bob.keys().registrationId, "hi"),
                    Fixtures.message(1, 7, 1, "hi")));

    assertEquals(
        new SendResult.MismatchedDevices(List.of(bob2.address().device().value()), List.of(7)), r);
  }

  @Test
  void send_withOldRegistrationId_returnsStaleDevices() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    int wrong = bob.keys().registrationId % 16000 + 1;

    SendResult r =
        alice.api().send(bob.account(), Fixtures.request(Fixtures.message(1, 1, wrong, "hi")));

    assertEquals(new SendResult.StaleDevices(List.of(1)), r);
  }

  @Test
  void sendSealed_withAccessKey_isSent_andWithWrongKeyThrows401() throws Exception {
    Device bob = Fixtures.register(api, null);
    byte[] accessKey = randomBytes(16);
    bob.api().setProfile(new ProfileRequest(new byte[0], accessKey));
    ServerApi anonymous = ServerApi.create(server.uri());
    var sealed = Fixtures.request(Fixtures.message(6, 1, bob.keys().registrationId, "sealed"));

    assertEquals(new SendResult.Sent(1), anonymous.sendSealed(bob.account(), sealed, accessKey));

    byte[] wrong = accessKey.clone();
    wrong[0] ^= 1;
    HttpStatusException e =
        assertThrows(
            HttpStatusException.class, () -> anonymous.sendSealed(bob.account(), sealed, wrong));
    assertEquals(401, e.status());
  }

  @Test
  void attachment_interruptedAfterPart_resumesFromServerOffset() throws Exception {
    Device alice = Fixtures.register(api, null);
    byte[] data = randomBytes(300_000);
    Path file = Files.write(temp.resolve("upload.bin"), data);
    AttachmentCreated created = alice.api().createAttachment(data.length);

    assertEquals(100_000, alice.api().appendAttachment(created.id(), file, 0, 100_000));
    assertEquals(100_000, alice.api().attachmentOffset(created.id()));
    alice.api().resumeAttachment(created.id(), file);

    assertEquals(data.length, alice.api().attachmentOffset(created.id()));
    Path down = temp.resolve("down.bin");
    assertEquals(data.length, alice.api().downloadAttachment(created.id(), down));
    assertArrayEquals(data, Files.readAllBytes(down));
  }

  @Test
  void attachment_incompleteDownload_isRefusedWith409() throws Exception {
    Device alice = Fixtures.register(api, null);
    Path file = Files.write(temp.resolve("part.bin"), randomBytes(1000));
    AttachmentCreated created = alice.api().createAttachment(1000);
    alice.api().appendAttachment(created.id(), file, 0, 10);

    HttpStatusException e =
        assertThrows(
            HttpStatusException.class,
            () -> alice.api().downloadAttachment(created.id(), temp.resolve("nothing.bin")));

    assertEquals(409, e.status());
    assertEquals("incomplete", e.code());
    assertFalse(Files.exists(temp.resolve("nothing.bin")));
  }

  @Test
  void attachment_uploadInParts_thenRangedDownloadResumesPartialFile() throws Exception {
    Device alice = Fixtures.register(api, null);
    Device bob = Fixtures.register(api, null);
    byte[] data = randomBytes(250_001);
    Path file = Files.write(temp.resolve("parts.bin"), data);

    String id = alice.api().uploadAttachment(file, 64 * 1024);

    Path partial = temp.resolve("partial.bin");
    Files.write(partial, java.util.Arrays.copyOf(data, 123_456));
    assertEquals(data.length, bob.api().downloadAttachment(id, partial));
    assertArrayEquals(data, Files.readAllBytes(partial));

    Path tail = Files.write(temp.resolve("tail.bin"), new byte[0]);
    assertEquals(1, bob.api().downloadAttachment(id, tail, data.length - 1));
    assertArrayEquals(new byte[] {data[data.length - 1]}, Files.readAllBytes(tail));
  }

  @Test
  void uploadAttachment_connectionCutMidBody_resumesAndCompletes() throws Exception {
    Device alice = Fixtures.register(api, null);
    byte[] data = randomBytes(400_000);
    Path file = Files.write(temp.resolve("cut.bin"), data);

    String id;
    try (CuttingProxy proxy = new CuttingProxy(server.uri(), 150_000)) {
      id = ServerApi.create(proxy.uri()).as(alice.credentials()).uploadAttachment(file);
      assertTrue(proxy.didCut());
    }

    Path down = temp.resolve("cut-down.bin");
    alice.api().downloadAttachment(id, down);
    assertArrayEquals(data, Files.readAllBytes(down));
  }

  @Test
  void config_andSenderCertificate() throws Exception {
    Device alice = Fixtures.register(api, null);

    ServerConfigResponse config = api.config();
    byte[] cert = alice.api().senderCertificate();

    assertEquals(POW_BITS, config.powBits());
    assertEquals("open", config.registration());
    assertEquals(33, config.trustRoot().length);
    SenderCertificate parsed = SenderCertificate.fromBytes(cert);
    assertEquals(alice.account().toString(), parsed.senderUuid());
  }

  @Test
  void anyCall_toUnreachableServer_throwsServerUnreachableNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI down = URI.create("http://127.0.0.1:" + port);

    ServerUnreachableException e =
        assertThrows(ServerUnreachableException.class, () -> ServerApi.create(down).config());

    assertTrue(e.getMessage().contains("http://127.0.0.1:" + port), e.getMessage());
    assertEquals(down, e.server());
    assertInstanceOf(TransportException.class, e);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
