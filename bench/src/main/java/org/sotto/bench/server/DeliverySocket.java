package org.sotto.bench.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.sotto.api.proto.Ack;
import org.sotto.api.proto.ClientFrame;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.ServerFrame;

/**
 * One device's delivery WebSocket, as a client holds it: authenticates the upgrade with HTTP Basic,
 * hands each pushed envelope to a consumer and acks it right away (the server deletes an envelope
 * only on its ack), and completes {@link #ready()} on the first {@code queue_empty}, the server's
 * signal that the connection is authenticated and the stored queue has been pushed. Thread-safe.
 */
public final class DeliverySocket implements Session.Listener.AutoDemanding {
  /** The delivery WebSocket's path on the server. */
  static final String PATH = "/v1/websocket";

  private final Consumer<Envelope> envelopes;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private volatile Session session;
  private volatile Throwable ackFailure;

  private DeliverySocket(Consumer<Envelope> envelopes) {
    this.envelopes = envelopes;
  }

  /**
   * Starts connecting as {@code account} to the server at {@code server} (an http URI); the socket
   * is usable once {@link #ready()} completes.
   */
  static DeliverySocket connect(
      WebSocketClient client, URI server, BenchAccount account, Consumer<Envelope> envelopes)
      throws Exception {
    DeliverySocket socket = new DeliverySocket(envelopes);
    URI ws = URI.create(server.toString().replaceFirst("^http", "ws").replaceAll("/+$", "") + PATH);
    ClientUpgradeRequest upgrade = new ClientUpgradeRequest(ws);
    upgrade.setHeader("Authorization", account.basicAuth());
    client
        .connect(socket, upgrade)
        .whenComplete(
            (s, e) -> {
              if (e != null) {
                socket.ready.completeExceptionally(e);
              }
            });
    return socket;
  }

  /** Completes on the first {@code queue_empty} frame; fails if the connection fails first. */
  CompletableFuture<Void> ready() {
    return ready;
  }

  /** Waits for {@link #ready()} at most {@code seconds}. */
  void awaitReady(long seconds) throws Exception {
    ready.get(seconds, TimeUnit.SECONDS);
  }

  /** Completes with the close reason when the connection closes. */
  CompletableFuture<String> closed() {
    return closed;
  }

  /** The first failure to send an ack, or null. */
  Throwable ackFailure() {
    return ackFailure;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    ServerFrame frame;
    try {
      frame = ServerFrame.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      callback.fail(e);
      session.close(StatusCode.PROTOCOL, "bad frame", Callback.NOOP);
      return;
    }
    switch (frame.getFrameCase()) {
      case ENVELOPE -> {
        Envelope envelope = frame.getEnvelope();
        envelopes.accept(envelope);
        ack(envelope.getGuid());
      }
      case QUEUE_EMPTY -> ready.complete(null);
      default -> {
        // Dropped counts and provisioning frames do not occur in the bench.
      }
    }
    callback.succeed();
  }

  private void ack(ByteString guid) {
    byte[] frame =
        ClientFrame.newBuilder().setAck(Ack.newBuilder().addGuids(guid)).build().toByteArray();
    session.sendBinary(
        ByteBuffer.wrap(frame),
        Callback.from(
            () -> {},
            e -> {
              if (ackFailure == null) {
                ackFailure = e;
              }
            }));
  }

  @Override
  public void onWebSocketClose(int status, String reason) {
    String why = status + (reason == null || reason.isEmpty() ? "" : " " + reason);
    ready.completeExceptionally(new IllegalStateException("WebSocket closed: " + why));
    closed.complete(why);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    ready.completeExceptionally(cause);
    closed.complete("error: " + cause);
  }

  /** Sends a WebSocket ping (the server answers with a pong), as a client's keep-alive. */
  void ping() {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    }
  }

  /** Closes normally. */
  void close() {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.close(StatusCode.NORMAL, "bench done", Callback.NOOP);
    }
  }
}
