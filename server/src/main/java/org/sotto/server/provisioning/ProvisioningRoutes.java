package org.sotto.server.provisioning;

import java.util.List;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.sotto.api.dto.ProvisioningMessageRequest;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Call;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;

/**
 * Device linking, first half: the unauthenticated WebSocket {@value #SOCKET_PATH} where a new
 * device waits, and {@code PUT /v1/provisioning/{address}} by which an existing device relays an
 * encrypted provisioning message to it. Nothing is stored. Thread-safe.
 */
public final class ProvisioningRoutes {
  /** The path of the provisioning WebSocket. */
  public static final String SOCKET_PATH = "/v1/provisioning";

  /**
   * Request body cap: the largest provisioning message, base64 (4/3), plus 4 KiB of JSON framing.
   */
  static final int MAX_BODY_BYTES = ProvisioningMessageRequest.MAX_BODY_BYTES / 3 * 4 + 4096;

  private final ProvisioningHub hub;

  /** Routes over {@code hub}. */
  public ProvisioningRoutes(ProvisioningHub hub) {
    this.hub = hub;
  }

  /** Maps the provisioning socket on {@code container}. */
  public void configure(ServerWebSocketContainer container) {
    container.addMapping(SOCKET_PATH, (request, response, callback) -> new ProvisioningSocket(hub));
  }

  /** The routes (the WebSocket path is listed so that it appears in the OpenAPI document). */
  public List<Route> routes() {
    return List.of(
        Route.withBody(
                "PUT",
                SOCKET_PATH + "/{address}",
                Access.DEVICE,
                ProvisioningMessageRequest.class,
                Void.class,
                "Relay an encrypted provisioning message to the new device waiting on an address",
                this::relay)
            .errors(404)
            .maxBody(MAX_BODY_BYTES),
        Route.of(
                "GET",
                SOCKET_PATH,
                Access.PUBLIC,
                Void.class,
                "Provisioning WebSocket (upgrade only): sends a ProvisioningAddress, then at most "
                    + "one ProvisioningMessage",
                call -> {
                  throw new ApiException(426, "upgrade_required", "this endpoint is a WebSocket");
                })
            .errors(426));
  }

  private Object relay(Call call) {
    ProvisioningMessageRequest req = call.body(ProvisioningMessageRequest.class);
    if (!hub.deliver(call.param("address"), req.body())) {
      throw ApiException.notFound("not_found", "no device waits there");
    }
    return null;
  }
}
