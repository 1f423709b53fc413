package org.sotto.server.messages;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.api.Address;
import org.sotto.api.proto.ClientFrame;
import org.sotto.api.proto.SendRequest;
import org.sotto.api.proto.SendResponse;
import org.sotto.api.proto.ServerFrame;

/**
 * One device's send WebSocket ({@value DeliveryEndpoints#SEND_PATH}): the device sends messages as
 * {@link SendRequest} frames, each answered by a {@link SendResponse} with the same id, instead of
 * one HTTP request per send. A busy client saves a request's headers, its authentication and the
 * JSON body's base64 on every message.
 *
 * <p>It is a socket of its own rather than frames on the delivery socket: a client reads its
 * delivery socket only as fast as it stores what arrives, so an answer queued behind envelopes
 * could wait for a listener that is itself waiting for that answer.
 *
 * <p>Sends run concurrently, up to {@link #MAX_SENDS_IN_FLIGHT}, so that they share the store's
 * commits; the next frame is demanded at once while fewer are in flight, and otherwise when one
 * finishes. Answers may come in any order. Nothing is registered on the message bus: a send socket
 * never receives envelopes. Thread-safe.
 */
public final class SendSocket extends ClientFrameSocket {
  /**
   * Sends of one socket being stored at once: enough for one busy device to fill the store's group
   * commits, while what it can make the server hold stays bounded (this many frames of at most
   * {@link SocketSends#MAX_SEND_FRAME_BYTES}).
   */
  static final int MAX_SENDS_IN_FLIGHT = 16;

  private static final Logger log = LoggerFactory.getLogger(SendSocket.class);

  private final Address device;
  private final SocketSends sends;
  private final Executor executor;
  private final AtomicInteger inFlight = new AtomicInteger();
  // Answers come from several threads; Jetty is handed one frame at a time.
  private final Object sendLock = new Object();

  SendSocket(Address device, SocketSends sends, Executor executor) {
    super("send");
    this.device = device;
    this.sends = sends;
    this.executor = executor;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    s.demand();
  }

  /** Demands the next frame; a socket that closed meanwhile has none to give. */
  private void demandQuietly() {
    try {
      session.demand();
    } catch (RuntimeException e) {
      log.debug("no demand on a closed send socket: {}", e.getClass().getSimpleName());
    }
  }

  @Override
  void onFrame(ClientFrame frame, Callback callback) {
    if (frame.getFrameCase() != ClientFrame.FrameCase.SEND) {
      reject(StatusCode.BAD_DATA, "unsupported frame", callback);
      return;
    }
    callback.succeed();
    accept(frame.getSend());
  }

  /**
   * Stores a send on a virtual thread and answers it there. The next frame is demanded now unless
   * this send is the {@link #MAX_SENDS_IN_FLIGHT}th in flight; then the send that brings the count
   * back below the limit demands it. Each frame thus leads to exactly one demand.
   */
  private void accept(SendRequest request) {
    int now = inFlight.incrementAndGet();
    executor.execute(
        () -> {
          try {
            SendResponse answer = sends.handle(device, request);
            ByteBuffer bytes =
                ByteBuffer.wrap(
                    ServerFrame.newBuilder().setSendResponse(answer).build().toByteArray());
            synchronized (sendLock) {
              session.sendBinary(bytes, Callback.NOOP);
            }
          } catch (RuntimeException e) {
            // The connection is closing: the client sees it drop with this send unanswered.
            log.debug("send answer not queued: {}", e.getClass().getSimpleName());
          } finally {
            if (inFlight.getAndDecrement() == MAX_SENDS_IN_FLIGHT) {
              demandQuietly();
            }
          }
        });
    if (now < MAX_SENDS_IN_FLIGHT) {
      session.demand();
    }
  }
}
