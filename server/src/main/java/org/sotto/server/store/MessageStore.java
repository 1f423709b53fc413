package org.sotto.server.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sotto.api.Address;
import org.sotto.api.proto.Envelope;

/**
 * Device queues of envelopes. Thread-safe. Inserts complete only after a durable commit; many
 * concurrent inserts share one commit.
 */
public interface MessageStore {
  /** An envelope to store for one destination device. */
  record Outgoing(Address destination, Envelope envelope) {}

  /**
   * Stores every envelope of one send atomically (all or none). When a queue would exceed {@code
   * maxQueue}, its oldest envelopes are deleted and counted as dropped for that device. Completes
   * after a durable commit with the stored envelopes and their queue positions.
   */
  CompletableFuture<List<QueuedEnvelope>> insert(List<Outgoing> envelopes, int maxQueue);

  /**
   * Up to {@code limit} envelopes of the device's queue after position {@code afterSeq}, oldest
   * first.
   */
  List<QueuedEnvelope> fetch(Address device, long afterSeq, int limit);

  /**
   * Deletes acknowledged envelopes of that device (guids of other devices, and guids already gone,
   * are ignored). Completes after a durable commit with the server timestamps of the envelopes
   * actually deleted, so the caller can count deliveries and their latency exactly once.
   */
  CompletableFuture<List<Long>> delete(Address device, List<byte[]> guids);

  /**
   * Returns and resets how many envelopes were dropped from the device's queue since the last call.
   */
  long takeDropped(Address device);

  /**
   * Deletes envelopes accepted before {@code cutoffMs}, counting them as dropped; returns how many.
   */
  int expire(long cutoffMs);

  /**
   * Envelopes dropped (queue full or too old) since this store was opened: the dropped-messages
   * counter.
   */
  long droppedTotal();

  /** Envelopes queued for all devices (the queue-depth gauge). */
  long depth();
}
