package org.sotto.server.provisioning;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.sotto.api.proto.ProvisioningAddress;
import org.sotto.api.proto.ProvisioningMessage;
import org.sotto.api.proto.ServerFrame;

/**
 * A new device's unauthenticated provisioning socket: it is sent a random address on open, then at
 * most one relayed provisioning message, after which the server closes it normally. It accepts no
 * frames from the client. Thread-safe.
 */
public final class ProvisioningSocket implements Session.Listener.AutoDemanding {
  /**
   * A new device waits at most 10 minutes for its provisioning message, the lifetime of a linking
   * code: an unauthenticated socket must not live forever.
   */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** How long a relayed message may take to reach the socket before the relay reports failure. */
  static final long SEND_TIMEOUT_MS = 10_000;

  /**
   * Largest frame read from a waiting device. It may send none (any frame closes the socket), and
   * it is not authenticated: the server's shared limit is sized for the send socket's frames, and
   * no anonymous socket may make the server buffer one of those.
   */
  static final int MAX_CLIENT_FRAME_BYTES = 1024;

  private final ProvisioningHub hub;
  private volatile Session session;
  private volatile String address;

  ProvisioningSocket(ProvisioningHub hub) {
    this.hub = hub;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    s.setIdleTimeout(IDLE_TIMEOUT);
    s.setMaxBinaryMessageSize(MAX_CLIENT_FRAME_BYTES);
    s.setMaxTextMessageSize(MAX_CLIENT_FRAME_BYTES);
    s.setMaxFrameSize(MAX_CLIENT_FRAME_BYTES);
    String a = hub.add(this).orElse(null);
    if (a == null) {
      s.close(StatusCode.TRY_AGAIN_LATER, "too many provisioning sockets", Callback.NOOP);
      return;
    }
    address = a;
    ServerFrame frame =
        ServerFrame.newBuilder()
            .setProvisioningAddress(ProvisioningAddress.newBuilder().setAddress(a))
            .build();
    s.sendBinary(ByteBuffer.wrap(frame.toByteArray()), Callback.NOOP);
  }

  /** Sends {@code body} and then closes; false if the socket could not take it. */
  boolean deliver(byte[] body) {
    Session s = session;
    if (s == null || !s.isOpen()) {
      return false;
    }
    ServerFrame frame =
        ServerFrame.newBuilder()
            .setProvisioningMessage(
                ProvisioningMessage.newBuilder().setBody(ByteString.copyFrom(body)))
            .build();
    Callback.Completable sent = new Callback.Completable();
    s.sendBinary(ByteBuffer.wrap(frame.toByteArray()), sent);
    try {
      sent.get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
    s.close(StatusCode.NORMAL, "provisioned", Callback.NOOP);
    return true;
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    callback.succeed();
    session.close(StatusCode.BAD_DATA, "the provisioning socket takes no frames", Callback.NOOP);
  }

  @Override
  public void onWebSocketText(String message) {
    session.close(StatusCode.BAD_DATA, "the provisioning socket takes no frames", Callback.NOOP);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    String a = address;
    if (a != null) {
      hub.remove(a, this);
    }
  }
}
