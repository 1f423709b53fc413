package org.sotto.server.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.api.dto.ErrorResponse;
import org.sotto.server.auth.Authenticator;
import org.sotto.server.auth.Caller;
import org.sotto.server.metrics.ServerMetrics;
import org.sotto.server.store.StoreException;

/**
 * Dispatches HTTP requests to {@link Route}s, authenticates callers, and maps every failure to a
 * JSON error in this one place: {@link ApiException} to its status, storage failures to 503,
 * anything else to 500 (logged by type only, never with request data). Thread-safe.
 */
public final class Router extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** Path segments beyond this are refused before matching (no route has more than 6). */
  static final int MAX_SEGMENTS = 16;

  private final List<Compiled> routes = new ArrayList<>();
  private final Authenticator authenticator;
  private final ServerMetrics metrics;

  private record Compiled(Route route, String[] segments) {}

  /** A router over {@code routes}. */
  public Router(List<Route> routes, Authenticator authenticator, ServerMetrics metrics) {
    for (Route r : routes) {
      this.routes.add(new Compiled(r, split(r.pattern())));
    }
    this.authenticator = authenticator;
    this.metrics = metrics;
  }

  /** The routes, in dispatch order (for the OpenAPI document). */
  public List<Route> routes() {
    return routes.stream().map(Compiled::route).toList();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status;
    try {
      status = dispatch(request, response, callback);
    } catch (ApiException e) {
      status = e.status();
      Call.drainUnread(request);
      writeError(response, callback, e);
    } catch (StoreException e) {
      log.error("storage failure: {}", e.getMessage(), e.getCause());
      status = 503;
      writeError(
          response, callback, new ApiException(503, "unavailable", "storage is unavailable"));
    } catch (Exception | StackOverflowError e) {
      log.error("unexpected failure in a route: {}", e.getClass().getName(), e);
      status = 500;
      writeError(response, callback, new ApiException(500, "internal", "internal error"));
    }
    metrics.httpStatus(status);
    return true;
  }

  private int dispatch(Request request, Response response, Callback callback) throws Exception {
    Match m = resolve(request.getMethod(), Request.getPathInContext(request));
    Caller caller = authenticator.authenticate(request, m.route().access());
    Call call = new Call(request, response, callback, m.params(), caller, m.route().maxBodyBytes());
    Object result = m.route().handler().handle(call);
    return write(response, callback, result);
  }

  /** A route matched by method and decoded path, with its path parameters. */
  public record Match(Route route, Map<String, String> params) {}

  /**
   * The route for {@code method} and the decoded {@code path}, or a 404 (no route has this path) or
   * 405 (only other methods have it) {@link ApiException}.
   */
  public Match resolve(String method, String path) {
    String[] segments = split(path);
    if (segments.length > MAX_SEGMENTS) {
      throw ApiException.notFound("not_found", "no such endpoint");
    }
    boolean pathMatched = false;
    for (Compiled c : routes) {
      Map<String, String> params = match(c.segments, segments);
      if (params == null) {
        continue;
      }
      pathMatched = true;
      if (c.route.method().equals(method)) {
        return new Match(c.route, params);
      }
    }
    if (pathMatched) {
      throw new ApiException(405, "method_not_allowed", "method not allowed");
    }
    throw ApiException.notFound("not_found", "no such endpoint");
  }

  private static int write(Response response, Callback callback, Object result) {
    if (result == null) {
      response.setStatus(204);
      callback.succeeded();
      return 204;
    }
    if (result == Reply.STREAMED) {
      // Checked before the general Reply case: the handler owns the response and the callback.
      return response.getStatus();
    }
    if (result instanceof Reply reply) {
      response.setStatus(reply.status());
      reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
      if (reply.raw() != null) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.write(true, ByteBuffer.wrap(reply.raw()), callback);
      } else if (reply.json() != null) {
        writeJson(response, callback, reply.json());
      } else {
        callback.succeeded();
      }
      return reply.status();
    }
    response.setStatus(200);
    writeJson(response, callback, result);
    return 200;
  }

  private static void writeJson(Response response, Callback callback, Object body) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(Json.write(body)), callback);
  }

  /** Writes {@code e} as the JSON error reply (its custom body, or {@code {"code","message"}}). */
  static void writeError(Response response, Callback callback, ApiException e) {
    if (response.isCommitted()) {
      callback.failed(e);
      return;
    }
    response.setStatus(e.status());
    e.headers().forEach((k, v) -> response.getHeaders().put(k, v));
    Object body = e.body() != null ? e.body() : new ErrorResponse(e.code(), e.getMessage());
    writeJson(response, callback, body);
  }

  static String[] split(String path) {
    if (path == null || path.isEmpty()) {
      return new String[0];
    }
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.isEmpty()) {
      return new String[0];
    }
    return trimmed.split("/", -1);
  }

  private static Map<String, String> match(String[] pattern, String[] path) {
    if (pattern.length != path.length) {
      return null;
    }
    Map<String, String> params = null;
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (path[i].isEmpty()) {
          return null;
        }
        if (params == null) {
          params = new HashMap<>();
        }
        params.put(p.substring(1, p.length() - 1), path[i]);
      } else if (!p.equals(path[i])) {
        return null;
      }
    }
    return params == null ? Map.of() : params;
  }
}
