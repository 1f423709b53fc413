package org.sotto.client.transport;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.sotto.api.proto.ServerFrame;

/**
 * The JDK WebSocket callbacks of one {@link DeliveryConnection} attempt ({@code gen}): reassembles
 * and decodes frames, reads the next frame only after the previous one was handled, and reports
 * everything else to the connection. The JDK calls it one callback at a time.
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
    ws.request(1);
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
    ws.request(1);
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
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
    owner.inbound(); // the JDK answers with a pong itself
    ws.request(1);
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
