package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.proto.Envelope;
import org.sotto.cli.testing.ServerProcess;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import org.sotto.server.testing.TestSocket;

/**
 * Durability: a real server process is killed with SIGKILL while sends are in flight; after a
 * restart on the same data folder, every send that got a 200 is delivered exactly once (after
 * client-side de-duplication by envelope guid), and nothing comes back after it is acked.
 */
class ServerKillIntegrationTest {
  /** Concurrent senders. */
  static final int SENDERS = 8;

  /** The server is killed once this many sends have succeeded (more are in flight by then). */
  static final int KILL_AFTER = 400;

  private final List<Process> processes = new ArrayList<>();
  private Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (dir != null) {
      TestServer.deleteTree(dir);
      Files.deleteIfExists(log());
    }
  }

  private Path log() {
    return dir.resolveSibling(dir.getFileName() + ".log");
  }

  private ServerProcess startServer() throws Exception {
    ServerProcess s = ServerProcess.start(dir, log());
    processes.add(s.process());
    return s;
  }

  private static SendMessagesRequest message(TestDevice to, String text) {
    return new SendMessagesRequest(
        List.of(
            new OutgoingMessage(1, 1, to.registrationId, text.getBytes(StandardCharsets.UTF_8))),
        System.currentTimeMillis());
  }

  @Test
  void kill9_duringSends_everyAcceptedMessageDeliveredExactlyOnce() throws Exception {
    dir = Files.createTempDirectory("sotto-kill");
    ServerProcess first = startServer();
    TestClient client = new TestClient(first.uri());
    TestDevice alice = client.register(null);
    TestDevice bob = client.register(null);

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    Set<String> attempted = ConcurrentHashMap.newKeySet();
    AtomicInteger ok = new AtomicInteger();
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < SENDERS; t++) {
      int id = t;
      senders.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; ; i++) {
                      String text = "msg-" + id + "-" + i;
                      attempted.add(text);
                      TestClient.Result r;
                      try {
                        r =
                            client.call(
                                "PUT", "/v1/messages/" + bob.account(), message(bob, text), alice);
                      } catch (RuntimeException e) {
                        return; // the server is gone
                      }
                      if (r.status() != 200) {
                        return;
                      }
                      accepted.add(text);
                      ok.incrementAndGet();
                    }
                  }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (ok.get() < KILL_AFTER) {
      assertTrue(System.nanoTime() < deadline, "sends too slow: " + ok.get());
      Thread.sleep(5);
    }
    first.process().destroyForcibly();
    assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
    for (Thread t : senders) {
      t.join(60_000);
    }
    Set<String> acceptedBeforeKill = Set.copyOf(accepted);
    assertTrue(acceptedBeforeKill.size() >= KILL_AFTER);

    ServerProcess second = startServer();
    Map<String, Set<ByteString>> guidsByText = new HashMap<>();
    List<Envelope> received;
    try (TestSocket s = TestSocket.delivery(second.uri(), bob)) {
      received = s.untilQueueEmpty();
      s.ack(received);
    }
    Set<ByteString> seenGuids = new HashSet<>();
    for (Envelope e : received) {
      if (!seenGuids.add(e.getGuid())) {
        continue; // a redelivery: clients de-duplicate by guid
      }
      String text = e.getContent().toString(StandardCharsets.UTF_8);
      assertTrue(attempted.contains(text), "unexpected content");
      guidsByText.computeIfAbsent(text, k -> new HashSet<>()).add(e.getGuid());
    }
    for (String text : acceptedBeforeKill) {
      assertTrue(guidsByText.containsKey(text), "lost an accepted message");
    }
    for (var e : guidsByText.entrySet()) {
      assertEquals(1, e.getValue().size(), "stored twice under different guids");
    }
    // Acked envelopes never come back.
    try (TestSocket s = TestSocket.delivery(second.uri(), bob)) {
      assertEquals(List.of(), s.untilQueueEmpty());
    }
    System.out.println(
        "kill -9 durability: accepted="
            + acceptedBeforeKill.size()
            + " delivered="
            + guidsByText.size()
            + " (in flight at the kill and stored anyway: "
            + (guidsByText.size() - acceptedBeforeKill.size())
            + ")");
  }
}
