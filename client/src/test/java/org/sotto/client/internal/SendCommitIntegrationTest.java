package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.client.HistoryEntry;
import org.sotto.client.SottoException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.server.testing.TestServer;

/**
 * A send is one unit of the local store: the session step and the history entry are committed
 * together, once, before the ciphertext leaves; a message the server does not take leaves the
 * history again.
 */
class SendCommitIntegrationTest {
  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private TestServer server;
  private final List<DefaultSottoClient> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (DefaultSottoClient c : open) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private DefaultSottoClient register(String handle) throws Exception {
    DefaultSottoClient c =
        DefaultSottoClient.register(
            server.uri(), handle, dir.resolve(handle), null, Clock.systemUTC(), new SecureRandom());
    open.add(c);
    return c;
  }

  private static List<String> texts(DefaultSottoClient c, String with) throws Exception {
    return c.history(with, 100).stream().map(HistoryEntry::text).toList();
  }

  @Test
  void send_onAnEstablishedSession_isOneCommitWithTheSessionStepAndTheHistoryEntry()
      throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    alice.send("bob", "first"); // Starts the session (its own commits).
    alice.send("bob", "second");
    ProtocolAddress bobDevice = new ProtocolAddress(bob.accountId().toString(), 1);
    byte[] sessionBefore = alice.protocolStore().loadSession(bobDevice).serialize();

    long commitsBefore = alice.store().commits();
    alice.send("bob", "third");
    assertEquals(1, alice.store().commits() - commitsBefore);
    assertTrue(texts(alice, "bob").contains("third"));
    byte[] sessionAfter = alice.protocolStore().loadSession(bobDevice).serialize();
    assertTrue(!java.util.Arrays.equals(sessionBefore, sessionAfter), "the session stepped");

    List<String> got =
        bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).stream()
            .map(org.sotto.client.IncomingMessage::text)
            .toList();
    assertEquals(List.of("first", "second", "third"), got);
  }

  @Test
  void send_serverUnreachable_failsAndLeavesNoHistoryEntry() throws Exception {
    DefaultSottoClient alice = register("alice");
    register("bob");
    alice.send("bob", "reached");
    server.close();
    server = null;
    assertThrows(SottoException.class, () -> alice.send("bob", "never sent"));
    assertEquals(List.of("reached"), texts(alice, "bob"));
  }
}
