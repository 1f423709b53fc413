package org.sotto.server.messages;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.api.Address;
import org.sotto.api.proto.ClientFrame;
import org.sotto.api.proto.Dropped;
import org.sotto.api.proto.QueueEmpty;
import org.sotto.api.proto.ServerFrame;
import org.sotto.server.metrics.ServerMetrics;
import org.sotto.server.store.MessageStore;
import org.sotto.server.store.QueuedEnvelope;

/**
 * One device's delivery WebSocket. On open it registers on the {@link MessageBus} (replacing an
 * older connection), reports dropped envelopes, pushes the stored queue in order, then sends
 * QueueEmpty once; afterwards every {@link #mail()} pushes what was committed since, still in queue
 * order. Envelopes are deleted only when the device acks their guids.
 *
 * <p>Frames are demanded explicitly: the next client frame (an ack, or the close frame) is read
 * only after the previous ack is committed, so acks are applied in order, a client cannot queue
 * unbounded deletes, and an ack sent before a clean close is durable when the close is answered.
 * Pings are answered by Jetty without demand.
 *
 * <p>No thread belongs to a connection: a drain runs on a virtual thread only while there is
 * something to push, and signals that arrive meanwhile are folded into that drain. An idle
 * connection holds a handful of fields. Thread-safe.
 */
public final class DeliverySocket extends ClientFrameSocket implements MessageBus.Listener {
  /** Envelopes read from the store per query while pushing a queue. */
  static final int PAGE = 64;

  /**
   * A push that the client has not taken within this time (TCP window full) is a dead or hostile
   * client: the connection is closed rather than holding envelopes in memory.
   */
  static final long SEND_TIMEOUT_MS = 60_000;

  private static final Logger log = LoggerFactory.getLogger(DeliverySocket.class);

  private final Address device;
  private final MessageStore store;
  private final MessageBus bus;
  private final ServerMetrics metrics;
  private final Executor executor;
  private final Clock clock;
  private final AtomicInteger signals = new AtomicInteger();

  private volatile MessageBus.Registration registration;
  private volatile boolean closed;

  // Touched only by the drain, which never runs twice at once.
  private long lastSeq;
  private boolean queueEmptySent;

  DeliverySocket(
      Address device,
      MessageStore store,
      MessageBus bus,
      ServerMetrics metrics,
      Executor executor,
      Clock clock) {
    super("delivery");
    this.device = device;
    this.store = store;
    this.bus = bus;
    this.metrics = metrics;
    this.executor = executor;
    this.clock = clock;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    // Acks only: the shared limit is sized for the send socket's frames.
    s.setMaxBinaryMessageSize(DeliveryEndpoints.MAX_ACK_FRAME_BYTES);
    s.setMaxTextMessageSize(DeliveryEndpoints.MAX_ACK_FRAME_BYTES);
    s.setMaxFrameSize(DeliveryEndpoints.MAX_ACK_FRAME_BYTES);
    metrics.connected(1);
    registration = bus.register(device, this);
    mail();
    s.demand();
  }

  @Override
  public void mail() {
    if (signals.getAndIncrement() == 0) {
      executor.execute(this::drain);
    }
  }

  @Override
  public void close(MessageBus.CloseReason reason) {
    Session s = session;
    if (s != null) {
      s.close(reason.code(), reason.reason(), Callback.NOOP);
    }
  }

  private void drain() {
    int seen;
    do {
      seen = signals.get();
      if (closed) {
        return;
      }
      try {
        push();
      } catch (Exception e) {
        if (closed) {
          return; // the client went away mid-push; its queue is intact
        }
        log.warn("delivery push failed: {}", e.getClass().getSimpleName());
        session.close(StatusCode.SERVER_ERROR, "delivery failed", Callback.NOOP);
        return;
      }
    } while (signals.addAndGet(-seen) != 0);
  }

  private void push() throws Exception {
    if (!queueEmptySent) {
      long dropped = store.takeDropped(device);
      if (dropped > 0) {
        send(ServerFrame.newBuilder().setDropped(Dropped.newBuilder().setCount(dropped)).build())
            .get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
    }
    while (!closed) {
      List<QueuedEnvelope> page = store.fetch(device, lastSeq, PAGE);
      Callback.Completable last = null;
      for (QueuedEnvelope q : page) {
        last = send(ServerFrame.newBuilder().setEnvelope(q.envelope()).build());
        lastSeq = q.seq();
      }
      if (last != null) {
        // Frames of a page are pipelined; waiting for the last one bounds what is buffered.
        last.get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    if (!queueEmptySent && !closed) {
      queueEmptySent = true;
      send(ServerFrame.newBuilder().setQueueEmpty(QueueEmpty.getDefaultInstance()).build())
          .get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private Callback.Completable send(ServerFrame frame) {
    Callback.Completable done = new Callback.Completable();
    session.sendBinary(ByteBuffer.wrap(frame.toByteArray()), done);
    return done;
  }

  @Override
  void onFrame(ClientFrame frame, Callback callback) {
    if (frame.getFrameCase() != ClientFrame.FrameCase.ACK) {
      reject(StatusCode.BAD_DATA, "unsupported frame", callback);
      return;
    }
    List<byte[]> guids = new ArrayList<>(frame.getAck().getGuidsCount());
    for (ByteString g : frame.getAck().getGuidsList()) {
      if (g.size() != MessageRoutes.GUID_BYTES) {
        reject(StatusCode.BAD_PAYLOAD, "malformed ack", callback);
        return;
      }
      guids.add(g.toByteArray());
    }
    store
        .delete(device, guids)
        // Off the database writer thread: demand() may read and handle the next frame inline.
        .whenCompleteAsync(
            (serverTimestamps, failure) -> {
              if (failure != null) {
                log.warn("ack failed: {}", failure.getClass().getSimpleName());
                callback.fail(failure);
                return;
              }
              long now = clock.millis();
              for (long ts : serverTimestamps) {
                metrics.delivered(now - ts);
              }
              callback.succeed();
              session.demand();
            },
            executor);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    MessageBus.Registration r = registration;
    if (r != null) {
      r.close();
      metrics.connected(-1);
    }
  }
}
