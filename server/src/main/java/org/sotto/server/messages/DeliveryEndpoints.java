package org.sotto.server.messages;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
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
 * The delivery WebSocket endpoint {@value #DELIVERY_PATH}: authenticates the upgrade with the
 * device's Basic credentials (a bare 401 and no upgrade otherwise) and sets the WebSocket limits
 * shared by every socket of the server.
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

  /** How often clients are expected to ping; documented for client authors. */
  public static final Duration CLIENT_PING_INTERVAL = Duration.ofSeconds(30);

  /**
   * Three missed client pings: long enough for a phone on a bad network, short enough that dead
   * connections (and their registrations) do not pile up.
   */
  public static final Duration IDLE_TIMEOUT = CLIENT_PING_INTERVAL.multipliedBy(3);

  /**
   * Largest frame a client may send: an ack of ~3,500 guids. Clients only ever send acks, so
   * anything larger is abuse and is closed with 1009.
   */
  static final int MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

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

  /** The endpoint; drains run on {@code executor} (virtual threads). */
  public DeliveryEndpoints(
      Authenticator authenticator,
      MessageStore store,
      MessageBus bus,
      ServerMetrics metrics,
      Executor executor,
      Clock clock) {
    this.authenticator = authenticator;
    this.store = store;
    this.bus = bus;
    this.metrics = metrics;
    this.executor = executor;
    this.clock = clock;
  }

  /** Sets the shared WebSocket limits on {@code container} and maps {@value #DELIVERY_PATH}. */
  public void configure(ServerWebSocketContainer container) {
    container.setIdleTimeout(IDLE_TIMEOUT);
    container.setInputBufferSize(INPUT_BUFFER_BYTES);
    container.setMaxBinaryMessageSize(MAX_CLIENT_MESSAGE_BYTES);
    container.setMaxTextMessageSize(MAX_CLIENT_MESSAGE_BYTES);
    container.setMaxFrameSize(MAX_CLIENT_MESSAGE_BYTES);
    container.addMapping(
        DELIVERY_PATH,
        (request, response, callback) -> {
          Caller caller;
          try {
            caller = authenticator.authenticate(request.getHeaders(), Access.DEVICE);
          } catch (ApiException e) {
            refuse(response, callback, e, metrics);
            return null;
          } catch (StoreException e) {
            refuse(
                response,
                callback,
                new ApiException(503, "unavailable", "storage is unavailable"),
                metrics);
            return null;
          }
          return new DeliverySocket(
              ((Caller.Device) caller).address(), store, bus, metrics, executor, clock);
        });
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
