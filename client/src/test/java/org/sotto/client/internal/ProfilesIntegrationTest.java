package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.client.IncomingMessage;
import org.sotto.client.ProfileName;
import org.sotto.client.SottoClient;
import org.sotto.server.testing.TestServer;

/** Profile keys and encrypted profile names between SDK clients through a real server. */
class ProfilesIntegrationTest {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger names = new AtomicInteger();

  private static TestServer server;

  @TempDir Path dir;

  private final List<SottoClient> open = new ArrayList<>();
  private final SecureRandom rng = new SecureRandom();

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
            server.uri(), handle, dir.resolve(handle), null, Clock.systemUTC(), rng);
    open.add(c);
    return c;
  }

  private static List<String> receive(DefaultSottoClient c) throws Exception {
    return c.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).stream()
        .map(IncomingMessage::text)
        .toList();
  }

  @Test
  void profileName_afterAMessage_visibleToTheContactButNotToAStranger() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    DefaultSottoClient carol = register("carol");
    alice.setProfileName("Alice Liddell");

    String aliceId = alice.accountId().toString();
    assertEquals(
        ProfileName.Status.NO_PROFILE_KEY, bob.profileName(aliceId).status(), "before a message");
    alice.send(bob.accountId(), "hello");
    assertEquals(List.of("hello"), receive(bob));

    assertEquals(ProfileName.of("Alice Liddell"), bob.profileName(aliceId));
    assertEquals(ProfileName.none(ProfileName.Status.NO_PROFILE_KEY), carol.profileName(aliceId));
    assertEquals(ProfileName.of("Alice Liddell"), alice.profileName(aliceId), "our own");
  }

  @Test
  void profileName_notSetAndThenRemoved_isNotSet() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    alice.send(bob.accountId(), "hello");
    receive(bob);
    String aliceId = alice.accountId().toString();
    assertEquals(ProfileName.none(ProfileName.Status.NOT_SET), bob.profileName(aliceId));
    alice.setProfileName("A");
    assertEquals(ProfileName.of("A"), bob.profileName(aliceId));
    alice.setProfileName("");
    assertEquals(ProfileName.none(ProfileName.Status.NOT_SET), bob.profileName(aliceId));
  }

  @Test
  void profileName_tamperedBlobOnServer_isUnreadableNotAnException() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    alice.setProfileName("Alice");
    alice.send(bob.accountId(), "hello");
    receive(bob);

    // The server (or whoever can write there) replaces the blob with one of the right shape.
    byte[] key = alice.profiles().ownKey().orElseThrow();
    byte[] blob = ProfileCipher.encryptName(key, "Alice", rng);
    blob[blob.length - 1] ^= 1;
    alice.api().setProfile(new ProfileRequest(blob, ProfileCipher.accessKey(key)));

    assertEquals(
        ProfileName.none(ProfileName.Status.UNREADABLE),
        bob.profileName(alice.accountId().toString()));
  }

  @Test
  void profileName_afterKeyRotation_unreadableUntilTheNextMessageBringsTheNewKey()
      throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    alice.setProfileName("Alice");
    alice.send(bob.accountId(), "one");
    receive(bob);
    String aliceId = alice.accountId().toString();

    alice.profiles().rotateKey();
    assertEquals(ProfileName.Status.UNREADABLE, bob.profileName(aliceId).status());

    alice.send(bob.accountId(), "two");
    receive(bob);
    assertEquals(ProfileName.of("Alice"), bob.profileName(aliceId), "name kept across keys");
  }

  @Test
  void setProfileName_tooLong_throwsAndChangesNothing() throws Exception {
    DefaultSottoClient alice = register("alice");
    alice.setProfileName("Kept");
    assertThrows(
        IllegalArgumentException.class,
        () -> alice.setProfileName("x".repeat(ProfileCipher.MAX_NAME_BYTES + 1)));
    assertEquals(ProfileName.of("Kept"), alice.profileName(alice.accountId().toString()));
  }

  @Test
  void open_storeWithoutProfileKey_getsOneAndUploadsIt() throws Exception {
    String handle = "old" + names.incrementAndGet();
    Path folder = dir.resolve(handle);
    DefaultSottoClient old =
        DefaultSottoClient.register(server.uri(), handle, folder, null, Clock.systemUTC(), rng);
    byte[] before = old.profiles().ownKey().orElseThrow();
    Path db = old.store().databaseFile();
    old.close();
    // As a store made before profiles existed: no profile key setting.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      assertEquals(1, st.executeUpdate("DELETE FROM meta WHERE name = 'sdk.profile_key'"));
    }

    DefaultSottoClient reopened =
        DefaultSottoClient.open(folder, handle, null, Clock.systemUTC(), rng);
    open.add(reopened);
    Optional<byte[]> after = reopened.store().setting(Profiles.KEY_SETTING);
    assertTrue(after.isPresent(), "made on open");
    assertEquals(ProfileCipher.PROFILE_KEY_BYTES, after.get().length);
    assertFalse(Arrays.equals(before, after.get()));

    // Its token reaches the server with the next upkeep, so contacts can seal to it.
    DefaultSottoClient bob = register("bob");
    reopened.send(bob.accountId(), "my new key");
    receive(bob);
    bob.send(reopened.accountId(), "sealed?");
    assertEquals(
        TYPE_UNIDENTIFIED, ServerEnvelopes.queuedFor(server, reopened.accountId()).get(0).type());
    assertEquals(List.of("sealed?"), receive(reopened));
  }

  private static final int TYPE_UNIDENTIFIED =
      org.sotto.api.proto.Envelope.Type.UNIDENTIFIED_SENDER_VALUE;
}
