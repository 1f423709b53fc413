package org.sotto.client.transport;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.sotto.api.proto.ServerFrame;

/**
 * The JDK WebSocket callbacks of one {@link DeliveryConnection} attempt ({@code gen}): reassembles
 * and decodes frames, is called for the next frame only after the previous one was handled, and
 * reports everything else to the connection. The JDK calls it one callback at a time.
 */
final class DeliverySocketListener implements WebSocket.Listener {
  private final DeliveryConnection owner;
  private final int gen;
  private final ServerFrames frames = new ServerFrames();

  DeliverySocketListener(DeliveryConnection owner, int gen) {
    this.owner = owner;
    this.gen = gen;
  }

  @Override
  public void onOpen(WebSocket ws) {
    if (!owner.opened(gen, ws)) {
      ws.abort();
      return;
    }
    // Unbounded demand: the JDK still calls back one frame at a time, and reads the next one only
    // after the callback returns, so a slow listener still slows the stream. Asking for one frame
    // at a time instead made the JDK re-schedule its reader, on another thread, after every frame.
    ws.request(Long.MAX_VALUE);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    owner.inbound();
    ServerFrame frame;
    try {
      frame = frames.add(data, last);
    } catch (ProtocolViolationException e) {
      owner.violation(gen, ws, e.getMessage());
      return null;
    }
    if (frame != null && !owner.deliver(frame)) {
      owner.violation(
          gen, ws, "unexpected " + frame.getFrameCase() + " frame on the delivery socket");
      return null;
    }
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    owner.violation(gen, ws, "text frame on the delivery socket");
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
    owner.inbound();
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
    owner.inbound(); // the JDK answers with a pong itself
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    owner.closedByServer(gen, statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    owner.dropped(gen, "connection failed (" + error.getClass().getSimpleName() + ")");
  }
}
