package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.api.proto.Envelope;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.ReceiveError;
import org.sotto.client.storage.StorageException;

/**
 * The receive side of the group commit: the delivery thread stores a burst without waiting, and
 * each envelope is acked and reported only after the commit that holds it, in arrival order; an
 * unreadable envelope in the burst does not hold back the others, and a failed commit acks nothing.
 */
class DeliveryBridgeTest {
  private static final AccountId BOB = AccountId.parse("6a4d7a52-7f6b-4c55-9d3e-2f0c1d6f9a10");
  private static final long QUIET_MILLIS = 200;

  /** What each envelope's unit produced, by guid: the outcome and the commit it waits for. */
  private final Map<ByteString, EnvelopeProcessor.Received> staged = new HashMap<>();

  private final List<ByteString> acks = new ArrayList<>();
  private final List<String> reported = new ArrayList<>();
  private final CountDownLatch queueEmpty = new CountDownLatch(1);
  private DeliveryBridge bridge;

  @AfterEach
  void close() {
    if (bridge != null) {
      bridge.close();
    }
  }

  private DeliveryBridge bridge() {
    MessageListener listener =
        new MessageListener() {
          @Override
          public void onMessage(IncomingMessage message) {
            record("message " + message.text());
          }

          @Override
          public void onError(ReceiveError error) {
            record("error " + error.kind());
          }

          @Override
          public void onQueueEmpty() {
            record("queue empty");
            queueEmpty.countDown();
          }
        };
    bridge =
        new DeliveryBridge(
            listener,
            e -> staged.get(e.getGuid()),
            EnvelopeProcessor.Received::awaitOutcome,
            () -> {});
    bridge.acks.complete(
        g -> {
          synchronized (acks) {
            acks.add(g);
          }
        });
    return bridge;
  }

  private synchronized void record(String what) {
    reported.add(what);
  }

  private synchronized List<String> reported() {
    return List.copyOf(reported);
  }

  private List<ByteString> acks() {
    synchronized (acks) {
      return List.copyOf(acks);
    }
  }

  private static Envelope envelope(UUID guid) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
    b.putLong(guid.getMostSignificantBits()).putLong(guid.getLeastSignificantBits());
    return Envelope.newBuilder()
        .setGuid(ByteString.copyFrom(b.array()))
        .setType(Envelope.Type.CIPHERTEXT)
        .build();
  }

  private Envelope stored(String text, CompletableFuture<Void> commit) {
    UUID guid = UUID.randomUUID();
    Envelope e = envelope(guid);
    IncomingMessage m = new IncomingMessage(guid, BOB, BOB, 1, Instant.EPOCH, text, List.of());
    staged.put(
        e.getGuid(),
        new EnvelopeProcessor.Received(new EnvelopeProcessor.Stored(m), commit, guid, "bob.1"));
    return e;
  }

  private Envelope undecryptable(CompletableFuture<Void> commit) {
    UUID guid = UUID.randomUUID();
    Envelope e = envelope(guid);
    staged.put(
        e.getGuid(),
        new EnvelopeProcessor.Received(
            new EnvelopeProcessor.Failed(
                new ReceiveError(guid, "bob.1", ReceiveError.Kind.UNDECRYPTABLE)),
            commit,
            guid,
            "bob.1"));
    return e;
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(5);
    }
  }

  @Test
  void onEnvelope_burstWithAnUnreadableOne_acksAllOnlyAfterTheirCommitInArrivalOrder()
      throws Exception {
    DeliveryBridge b = bridge();
    CompletableFuture<Void> commit = new CompletableFuture<>();
    List<Envelope> burst =
        List.of(stored("one", commit), undecryptable(commit), stored("three", commit));
    for (Envelope e : burst) {
      b.onEnvelope(e); // Returns without waiting for the commit.
    }
    b.onQueueEmpty();
    Thread.sleep(QUIET_MILLIS);
    assertEquals(List.of(), acks());
    assertEquals(List.of(), reported());

    commit.complete(null);
    assertTrue(queueEmpty.await(10, TimeUnit.SECONDS));
    assertEquals(burst.stream().map(Envelope::getGuid).toList(), acks());
    assertEquals(
        List.of("message one", "error UNDECRYPTABLE", "message three", "queue empty"), reported());
  }

  @Test
  void onEnvelope_laterCommitStillPending_earlierOnesAckedAlready() throws Exception {
    DeliveryBridge b = bridge();
    CompletableFuture<Void> first = new CompletableFuture<>();
    CompletableFuture<Void> second = new CompletableFuture<>();
    Envelope a = stored("a", first);
    Envelope c = stored("c", second);
    b.onEnvelope(a);
    b.onEnvelope(c);
    first.complete(null);
    waitFor(() -> acks().size() == 1);
    Thread.sleep(QUIET_MILLIS);
    assertEquals(List.of(a.getGuid()), acks());
    second.complete(null);
    waitFor(() -> acks().size() == 2);
    assertEquals(List.of(a.getGuid(), c.getGuid()), acks());
  }

  @Test
  void onEnvelope_commitFailed_notAckedAndReportedAsLocalStoreError() throws Exception {
    DeliveryBridge b = bridge();
    CompletableFuture<Void> commit = new CompletableFuture<>();
    b.onEnvelope(stored("lost", commit));
    b.onQueueEmpty();
    commit.completeExceptionally(new StorageException("disk full"));
    assertTrue(queueEmpty.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(), acks());
    assertEquals(List.of("error LOCAL_STORE", "queue empty"), reported());
  }
}
