package org.sotto.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sotto.server.http.Route.Access;
import org.sotto.server.metrics.ServerMetrics;

/** Health and metrics endpoints for operators. Thread-safe. */
public final class SystemRoutes {
  /** Body of a healthy /healthz. */
  public record Health(String status) {}

  private final ServerMetrics metrics;

  /** Routes over the metrics. */
  public SystemRoutes(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  /** The routes. */
  public List<Route> routes() {
    return List.of(
        Route.of(
            "GET",
            "/healthz",
            Access.PUBLIC,
            Health.class,
            "Liveness: 200 when the server accepts requests",
            call -> new Health("ok")),
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
