package org.sotto.server.messages;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.api.proto.ClientFrame;

/**
 * What a device's sockets share: binary {@link ClientFrame}s only, decoded here; a malformed frame
 * closes the socket with 1007, a text frame with 1003, and nothing of either is logged. Public only
 * because Jetty calls listener methods through method handles, which refuse a package-private
 * declaring class (the upgrade then fails with 500).
 */
public abstract class ClientFrameSocket implements Session.Listener {
  private static final Logger log = LoggerFactory.getLogger(ClientFrameSocket.class);

  /** The socket's kind in logs ("delivery", "send"). */
  private final String kind;

  /** Set on open, before any frame arrives. */
  protected volatile Session session;

  ClientFrameSocket(String kind) {
    this.kind = kind;
  }

  /** Handles one decoded frame; completes {@code callback} and demands the next frame itself. */
  abstract void onFrame(ClientFrame frame, Callback callback);

  @Override
  public final void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    ClientFrame frame;
    try {
      frame = ClientFrame.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      reject(StatusCode.BAD_PAYLOAD, "malformed frame", callback);
      return;
    }
    onFrame(frame, callback);
  }

  @Override
  public final void onWebSocketText(String message) {
    reject(StatusCode.BAD_DATA, "binary frames only", Callback.NOOP);
  }

  /** Consumes the frame and closes the socket with {@code code}. */
  final void reject(int code, String reason, Callback callback) {
    callback.succeed();
    session.close(code, reason, Callback.NOOP);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("{} socket error: {}", kind, cause.getClass().getSimpleName());
  }
}
