package org.sotto.cli.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The daemon's HTTP side on the JDK's {@code com.sun.net.httpserver}: {@code POST /api/v1/rpc}
 * (JSON-RPC 2.0, see {@link JsonRpc}) and {@code GET /api/v1/events} (server-sent events from an
 * {@link EventHub}, with a comment line as keepalive). It has no authentication: whoever reaches
 * the port can act as the account, which is why the daemon binds to loopback by default. Bad
 * requests get 404, 405, 413 or 415 and never stop the server. Thread-safe.
 */
public final class DaemonServer implements AutoCloseable {
  /** The JSON-RPC endpoint. */
  public static final String RPC_PATH = "/api/v1/rpc";

  /** The event stream. */
  public static final String EVENTS_PATH = "/api/v1/events";

  /**
   * Largest request body: JSON-RPC calls carry short texts and options, so 1 MiB is plenty, and a
   * bound keeps a caller from making the daemon buffer without end.
   */
  public static final int MAX_BODY_BYTES = 1 << 20;

  /** Time between keepalive comments on the event stream, so proxies keep idle streams open. */
  public static final Duration KEEPALIVE = Duration.ofSeconds(15);

  /** How long a stop waits for exchanges in progress to finish (seconds). */
  private static final int STOP_DELAY_SECONDS = 1;

  private static final int HTTP_OK = 200;
  private static final int HTTP_NO_CONTENT = 204;
  private static final int HTTP_NOT_FOUND = 404;
  private static final int HTTP_BAD_METHOD = 405;
  private static final int HTTP_TOO_LARGE = 413;
  private static final int HTTP_UNSUPPORTED_TYPE = 415;
  private static final int HTTP_UNAVAILABLE = 503;

  private final HttpServer http;
  private final ExecutorService threads;
  private final JsonRpc rpc;
  private final EventHub events;

  private DaemonServer(HttpServer http, ExecutorService threads, JsonRpc rpc, EventHub events) {
    this.http = http;
    this.threads = threads;
    this.rpc = rpc;
    this.events = events;
  }

  /** Starts serving {@code rpc} and {@code events} on {@code bind} (port 0: a free port). */
  public static DaemonServer start(InetSocketAddress bind, JsonRpc rpc, EventHub events)
      throws IOException {
    HttpServer http = HttpServer.create(bind, 0);
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    http.setExecutor(threads);
    DaemonServer s = new DaemonServer(http, threads, rpc, events);
    http.createContext("/", s::handle);
    http.start();
    return s;
  }

  /** The address it listens on (with the real port). */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      switch (path) {
        case RPC_PATH -> {
          if (!"POST".equals(ex.getRequestMethod())) {
            refuse(ex, HTTP_BAD_METHOD, "POST");
          } else {
            rpc(ex);
          }
        }
        case EVENTS_PATH -> {
          if (!"GET".equals(ex.getRequestMethod())) {
            refuse(ex, HTTP_BAD_METHOD, "GET");
          } else {
            events(ex);
          }
        }
        default -> plain(ex, HTTP_NOT_FOUND, "not found\n");
      }
    } catch (IOException | RuntimeException e) {
      // The peer went away or sent garbage: this exchange ends, the server goes on.
    }
  }

  private void rpc(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith("application/json")) {
      plain(ex, HTTP_UNSUPPORTED_TYPE, "Content-Type must be application/json\n");
      return;
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      send(
          ex,
          HTTP_TOO_LARGE,
          JsonRpc.errorBody(
              JsonRpc.INVALID_REQUEST, "request body larger than " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    Optional<String> response = rpc.handle(new String(body, StandardCharsets.UTF_8));
    if (response.isEmpty()) {
      ex.sendResponseHeaders(HTTP_NO_CONTENT, -1);
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    send(ex, HTTP_OK, response.get());
  }

  private void events(HttpExchange ex) throws IOException {
    EventHub.Subscription sub = events.subscribe();
    if (sub == null) {
      plain(ex, HTTP_UNAVAILABLE, "too many event subscribers\n");
      return;
    }
    try (sub) {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      ex.sendResponseHeaders(HTTP_OK, 0);
      OutputStream out = ex.getResponseBody();
      out.write(": subscribed\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        String event;
        try {
          event = sub.next(KEEPALIVE);
        } catch (InterruptedException e) {
          return; // Dropped (too slow) or the daemon stops: end the stream.
        }
        out.write((event != null ? event : ": keepalive\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  private static void refuse(HttpExchange ex, int status, String allow) throws IOException {
    ex.getResponseHeaders().set("Allow", allow);
    plain(ex, status, "method not allowed; use " + allow + "\n");
  }

  private static void plain(HttpExchange ex, int status, String text) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(ex, status, text);
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  /** Ends the event streams and stops serving. */
  @Override
  public void close() {
    events.closeAll();
    http.stop(STOP_DELAY_SECONDS);
    threads.shutdownNow();
  }
}
