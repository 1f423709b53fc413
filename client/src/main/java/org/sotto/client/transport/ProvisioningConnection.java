package org.sotto.client.transport;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sotto.api.proto.ServerFrame;

/**
 * The new device's side of linking: an unauthenticated WebSocket ({@value #PATH}) on which the
 * server first sends a random address, which the new device shows to an existing device (as a link
 * URI or QR code), and then at most one provisioning message that the existing device relays there.
 * The message is encrypted by the SDK; this class only moves it. Thread-safe.
 */
public final class ProvisioningConnection implements AutoCloseable {
  /** The provisioning socket's path on the server. */
  public static final String PATH = "/v1/provisioning";

  /** The server sends the address at once; waiting longer than this means it is not answering. */
  public static final Duration ADDRESS_TIMEOUT = Duration.ofSeconds(30);

  private static final System.Logger log = System.getLogger(ProvisioningConnection.class.getName());

  private final URI server;
  private final WebSocket socket;
  private final String address;
  private final CompletableFuture<byte[]> message;

  private ProvisioningConnection(
      URI server, WebSocket socket, String address, CompletableFuture<byte[]> message) {
    this.server = server;
    this.socket = socket;
    this.address = address;
    this.message = message;
  }

  /** Opens the socket on {@code api}'s server and waits for the provisioning address. */
  public static ProvisioningConnection open(ServerApi api)
      throws TransportException, InterruptedException {
    URI server = api.server();
    CompletableFuture<String> address = new CompletableFuture<>();
    CompletableFuture<byte[]> message = new CompletableFuture<>();
    WebSocket ws;
    try {
      ws =
          api.httpClient()
              .newWebSocketBuilder()
              .connectTimeout(ServerApi.CONNECT_TIMEOUT)
              .buildAsync(Http.webSocket(server, PATH), new Listener(server, address, message))
              .get(ServerApi.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw Http.unreachable(server, e);
    }
    try {
      return new ProvisioningConnection(
          server, ws, address.get(ADDRESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), message);
    } catch (ExecutionException e) {
      ws.abort();
      throw asTransport(server, e.getCause());
    } catch (TimeoutException e) {
      ws.abort();
      throw Http.unreachable(server, e);
    }
  }

  /** The address to give the existing device. */
  public String address() {
    return address;
  }

  /**
   * Waits up to {@code timeout} for the relayed provisioning message (still encrypted); a {@link
   * TimeoutException} leaves the connection open for another wait.
   */
  public byte[] awaitMessage(Duration timeout)
      throws TransportException, InterruptedException, TimeoutException {
    try {
      return message.get(timeout.toMillis(), TimeUnit.MILLISECONDS).clone();
    } catch (ExecutionException e) {
      throw asTransport(server, e.getCause());
    }
  }

  @Override
  public void close() {
    socket.abort();
    message.completeExceptionally(
        new ProtocolViolationException("the provisioning connection was closed", null));
  }

  @Override
  public String toString() {
    return "ProvisioningConnection[" + server + "]";
  }

  private static TransportException asTransport(URI server, Throwable t) {
    return t instanceof TransportException te ? te : Http.unreachable(server, t);
  }

  /** Collects the address, then the message; anything else is a protocol violation. */
  private static final class Listener implements WebSocket.Listener {
    private final URI server;
    private final CompletableFuture<String> address;
    private final CompletableFuture<byte[]> message;
    private final ServerFrames frames = new ServerFrames();

    Listener(URI server, CompletableFuture<String> address, CompletableFuture<byte[]> message) {
      this.server = server;
      this.address = address;
      this.message = message;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ServerFrame frame;
      try {
        frame = frames.add(data, last);
      } catch (ProtocolViolationException e) {
        fail(ws, e);
        return null;
      }
      if (frame != null) {
        if (frame.hasProvisioningAddress() && !address.isDone()) {
          address.complete(frame.getProvisioningAddress().getAddress());
        } else if (frame.hasProvisioningMessage() && address.isDone()) {
          message.complete(frame.getProvisioningMessage().getBody().toByteArray());
        } else {
          fail(
              ws,
              new ProtocolViolationException(
                  "unexpected " + frame.getFrameCase() + " frame on the provisioning socket",
                  null));
          return null;
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      fail(ws, new ProtocolViolationException("text frame on the provisioning socket", null));
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      ProtocolViolationException closed =
          new ProtocolViolationException(
              "the server closed the provisioning socket (code " + statusCode + ")", null);
      address.completeExceptionally(closed);
      message.completeExceptionally(closed);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      ServerUnreachableException e = Http.unreachable(server, error);
      address.completeExceptionally(e);
      message.completeExceptionally(e);
    }

    private void fail(WebSocket ws, ProtocolViolationException e) {
      log.log(System.Logger.Level.WARNING, "provisioning: {0}", e.getMessage());
      ws.abort();
      address.completeExceptionally(e);
      message.completeExceptionally(e);
    }
  }
}
