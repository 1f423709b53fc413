package org.sotto.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sotto.server.http.Route.Access;
import org.sotto.server.metrics.ServerMetrics;

/** Health and metrics endpoints for operators. Thread-safe. */
public final class SystemRoutes {
  /**
   * Body of /healthz: {@code status} "ok", or "degraded" while Redis is unreachable in cluster mode
   * (the node still serves; its sockets poll the store); {@code fanout} "local" (single node),
   * "redis" or "polling".
   */
  public record Health(String status, String fanout) {}

  private final ServerMetrics metrics;

  /** Routes over the metrics. */
  public SystemRoutes(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  private Health health() {
    Boolean redis = metrics.redisUp();
    if (redis == null) {
      return new Health("ok", "local");
    }
    return redis ? new Health("ok", "redis") : new Health("degraded", "polling");
  }

  /** The routes. */
  public List<Route> routes() {
    return List.of(
        Route.of(
            "GET",
            "/healthz",
            Access.PUBLIC,
            Health.class,
            "Liveness: 200 when the server accepts requests; reports degraded fan-out",
            call -> health()),
        Route.of(
            "GET",
            "/metrics",
            Access.PUBLIC,
            String.class,
            "Prometheus metrics (text exposition format)",
            call ->
                Reply.raw(
                    200,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8),
                    "text/plain; version=0.0.4; charset=utf-8")));
  }
}
