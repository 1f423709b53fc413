package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.client.IncomingMessage;
import org.sotto.server.testing.TestServer;

/**
 * Sends from several threads of one client at once (the client lock is released while the server
 * answers, so they overlap): every message arrives exactly once and decrypts, both while the
 * recipient is offline and while it receives live, and the sender's history holds each once.
 */
class ConcurrentSendIntegrationTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 25;
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
    server.close();
  }

  private DefaultSottoClient register(String handle) throws Exception {
    DefaultSottoClient c =
        DefaultSottoClient.register(
            server.uri(), handle, dir.resolve(handle), null, Clock.systemUTC(), new SecureRandom());
    open.add(c);
    return c;
  }

  @Test
  void send_fromEightThreadsAtOnce_everyMessageArrivesOnceAndDecrypts() throws Exception {
    DefaultSottoClient alice = register("alice");
    DefaultSottoClient bob = register("bob");
    // One message each way first, so the concurrent sends also exercise sealed sending.
    alice.send("bob", "hello");
    assertEquals(1, bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).size());
    bob.send("alice", "hi");
    assertEquals(1, alice.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null).size());

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> done = new ArrayList<>();
    Set<String> sent = new HashSet<>();
    for (int t = 0; t < THREADS; t++) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < PER_THREAD; i++) {
        texts.add("thread " + t + " message " + i);
      }
      sent.addAll(texts);
      done.add(
          pool.submit(
              () -> {
                for (String text : texts) {
                  alice.send("bob", text);
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();

    List<IncomingMessage> got = new ArrayList<>();
    while (got.size() < sent.size()) {
      List<IncomingMessage> batch = bob.receiveUntilQueueEmpty(RECEIVE_TIMEOUT, null);
      assertTrue(!batch.isEmpty(), "messages stopped arriving at " + got.size());
      got.addAll(batch);
    }
    Set<String> texts = new HashSet<>();
    for (IncomingMessage m : got) {
      assertTrue(texts.add(m.text()), "delivered once: " + m.text());
    }
    assertEquals(sent, texts);
    assertEquals(
        THREADS * PER_THREAD + 2, alice.history("bob", 1000).size(), "each stored once on send");
  }
}
