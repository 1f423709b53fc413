package org.sotto.server.messages;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.sotto.api.Address;
import org.sotto.api.dto.ErrorResponse;
import org.sotto.server.auth.Authenticator;
import org.sotto.server.auth.Caller;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Json;
import org.sotto.server.http.Route.Access;
import org.sotto.server.metrics.ServerMetrics;
import org.sotto.server.store.MessageStore;
import org.sotto.server.store.StoreException;

/**
 * The delivery WebSocket endpoint {@value #DELIVERY_PATH} and the send WebSocket endpoint {@value
 * #SEND_PATH}: authenticates the upgrade with the device's Basic credentials (a bare 401 and no
 * upgrade otherwise) and sets the WebSocket limits shared by every socket of the server.
 *
 * <p><b>Keep-alive:</b> the server does not ping. A connection that carries no frame in either
 * direction for {@link #IDLE_TIMEOUT} is closed; clients keep theirs open by sending a WebSocket
 * ping at least every {@link #CLIENT_PING_INTERVAL} (Jetty answers pings with pongs), which also
 * lets them notice a dead connection themselves. This keeps idle connections free of any
 * per-connection timer work on the server. Thread-safe.
 */
public final class DeliveryEndpoints {
  /** The path of the delivery WebSocket. */
  public static final String DELIVERY_PATH = "/v1/websocket";

  /** The path of the send WebSocket ({@link SendSocket}). */
  public static final String SEND_PATH = "/v1/websocket/send";

  /** How often clients are expected to ping; documented for client authors. */
  public static final Duration CLIENT_PING_INTERVAL = Duration.ofSeconds(30);

  /**
   * Three missed client pings: long enough for a phone on a bad network, short enough that dead
   * connections (and their registrations) do not pile up.
   */
  public static final Duration IDLE_TIMEOUT = CLIENT_PING_INTERVAL.multipliedBy(3);

  /**
   * Largest frame a client may send on any socket: a send of {@link
   * SocketSends#MAX_SEND_FRAME_BYTES}; anything larger is closed with 1009, and such a send goes
   * over HTTP. The delivery socket lowers its own limit to {@link #MAX_ACK_FRAME_BYTES}.
   */
  static final int MAX_CLIENT_MESSAGE_BYTES = SocketSends.MAX_SEND_FRAME_BYTES;

  /**
   * Largest frame on the delivery socket: an ack of ~3,500 guids. A delivery socket only ever
   * receives acks, so anything larger is abuse and is closed with 1009; with 20,000 of them open,
   * none may make the server buffer a send-sized frame.
   */
  static final int MAX_ACK_FRAME_BYTES = 64 * 1024;

  /**
   * Read buffer per connection while a frame is being read (Jetty pools these and holds none for an
   * idle connection); acks are small, so 4 KiB keeps memory low with 20,000 sockets.
   */
  static final int INPUT_BUFFER_BYTES = 4096;

  private final Authenticator authenticator;
  private final MessageStore store;
  private final MessageBus bus;
  private final ServerMetrics metrics;
  private final Executor executor;
  private final Clock clock;
  private final SocketSends sends;

  /**
   * The endpoint; drains and sends run on {@code executor} (virtual threads), sends through {@code
   * routes}.
   */
  public DeliveryEndpoints(
      Authenticator authenticator,
      MessageStore store,
      MessageBus bus,
      ServerMetrics metrics,
      Executor executor,
      Clock clock,
      MessageRoutes routes) {
    this.authenticator = authenticator;
    this.store = store;
    this.bus = bus;
    this.metrics = metrics;
    this.executor = executor;
    this.clock = clock;
    this.sends = new SocketSends(routes);
  }

  /**
   * Sets the shared WebSocket limits on {@code container} and maps {@value #DELIVERY_PATH} and
   * {@value #SEND_PATH}.
   */
  public void configure(ServerWebSocketContainer container) {
    container.setIdleTimeout(IDLE_TIMEOUT);
    container.setInputBufferSize(INPUT_BUFFER_BYTES);
    container.setMaxBinaryMessageSize(MAX_CLIENT_MESSAGE_BYTES);
    container.setMaxTextMessageSize(MAX_CLIENT_MESSAGE_BYTES);
    container.setMaxFrameSize(MAX_CLIENT_MESSAGE_BYTES);
    container.addMapping(
        DELIVERY_PATH,
        (request, response, callback) -> {
          Address device = authenticate(request, response, callback);
          return device == null
              ? null
              : new DeliverySocket(device, store, bus, metrics, executor, clock);
        });
    container.addMapping(
        SEND_PATH,
        (request, response, callback) -> {
          Address device = authenticate(request, response, callback);
          return device == null ? null : new SendSocket(device, sends, executor);
        });
  }

  /** The upgrading device, or null after answering the refusal. */
  private Address authenticate(
      Request request, Response response, org.eclipse.jetty.util.Callback callback) {
    try {
      return ((Caller.Device) authenticator.authenticate(request.getHeaders(), Access.DEVICE))
          .address();
    } catch (ApiException e) {
      refuse(response, callback, e, metrics);
    } catch (StoreException e) {
      refuse(
          response,
          callback,
          new ApiException(503, "unavailable", "storage is unavailable"),
          metrics);
    }
    return null;
  }

  /** Answers a refused upgrade with the JSON error and no upgrade. */
  public static void refuse(
      Response response,
      org.eclipse.jetty.util.Callback callback,
      ApiException e,
      ServerMetrics metrics) {
    metrics.httpStatus(e.status());
    response.setStatus(e.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(
        true, ByteBuffer.wrap(Json.write(new ErrorResponse(e.code(), e.getMessage()))), callback);
  }
}
