package org.sotto.server.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sotto.api.proto.Ack;
import org.sotto.api.proto.ClientFrame;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.ServerFrame;

/**
 * A WebSocket client for tests (JDK {@code java.net.http.WebSocket}): collects {@link ServerFrame}s
 * in a queue, records the close code, sends acks and arbitrary frames. Thread-safe.
 */
public final class TestSocket implements AutoCloseable {
  /** How long a test waits for one frame before failing. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** How the server closed the socket. */
  public record Close(int code, String reason) {}

  private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private volatile WebSocket ws;

  private TestSocket() {}

  /** Opens the delivery socket as {@code device}. */
  public static TestSocket delivery(URI base, TestDevice device) {
    return open(base, "/v1/websocket", Map.of("Authorization", device.basicAuth()));
  }

  /** Opens {@code path} with {@code headers}; fails with {@link Refused} on an HTTP refusal. */
  public static TestSocket open(URI base, String path, Map<String, String> headers) {
    TestSocket s = new TestSocket();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + path);
    try {
      s.ws = b.buildAsync(uri, s.new Listener()).get(10, TimeUnit.SECONDS);
      return s;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        throw new Refused(h.getResponse().statusCode());
      }
      throw new IllegalStateException("WebSocket connect failed", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("WebSocket connect failed", e);
    }
  }

  /** The server refused the upgrade with this HTTP status. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status) {
      super("upgrade refused with " + status);
      this.status = status;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.writeBytes(chunk);
      if (last) {
        try {
          frames.add(ServerFrame.parseFrom(partial.toByteArray()));
        } catch (InvalidProtocolBufferException e) {
          closed.completeExceptionally(e);
        }
        partial.reset();
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(new Close(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(new Close(-1, error.getClass().getSimpleName()));
    }
  }

  /** The next frame; fails the test after {@link #WAIT}. */
  public ServerFrame next() {
    ServerFrame f = poll(WAIT);
    if (f == null) {
      throw new AssertionError("no frame within " + WAIT);
    }
    return f;
  }

  /** The next frame within {@code wait}, or null. */
  public ServerFrame poll(Duration wait) {
    try {
      return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next frame, which must be an envelope. */
  public Envelope nextEnvelope() {
    ServerFrame f = next();
    if (!f.hasEnvelope()) {
      throw new AssertionError("expected an envelope, got " + f.getFrameCase());
    }
    return f.getEnvelope();
  }

  /** Envelopes up to the QueueEmpty marker (a Dropped frame first is returned as-is in order). */
  public List<Envelope> untilQueueEmpty() {
    List<Envelope> out = new ArrayList<>();
    while (true) {
      ServerFrame f = next();
      if (f.hasQueueEmpty()) {
        return out;
      }
      if (!f.hasEnvelope()) {
        throw new AssertionError("expected an envelope or QueueEmpty, got " + f.getFrameCase());
      }
      out.add(f.getEnvelope());
    }
  }

  /** Acks {@code envelopes} by guid. */
  public void ack(List<Envelope> envelopes) {
    Ack.Builder a = Ack.newBuilder();
    for (Envelope e : envelopes) {
      a.addGuids(e.getGuid());
    }
    send(ClientFrame.newBuilder().setAck(a).build().toByteArray());
  }

  /** Acks raw guids. */
  public void ackGuids(List<ByteString> guids) {
    send(
        ClientFrame.newBuilder().setAck(Ack.newBuilder().addAllGuids(guids)).build().toByteArray());
  }

  /** Sends one binary frame. */
  public void send(byte[] bytes) {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /**
   * Sends one frame the server is expected to refuse by closing the socket. It may close as soon as
   * it has read an oversized frame's header, so the rest of the write can fail: that failure is not
   * the test's concern; {@link #awaitClose()} tells how the server closed.
   */
  public void sendExpectingClose(byte[] bytes) {
    try {
      ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (!(e.getCause() instanceof java.io.IOException)) {
        throw e;
      }
    }
  }

  /** Sends one text frame. */
  public void sendText(String text) {
    ws.sendText(text, true).join();
  }

  /** How the server closed this socket; fails the test after {@link #WAIT}. */
  public Close awaitClose() {
    try {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("socket not closed within " + WAIT, e);
    }
  }

  /** Whether the server has closed the socket. */
  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    WebSocket w = ws;
    if (w != null && !w.isOutputClosed()) {
      try {
        // Wait for the server's echo: it reads frames in order, so earlier acks are committed.
        w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        closed.get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Already closing; abort below.
      }
    }
    if (w != null) {
      w.abort();
    }
  }
}
