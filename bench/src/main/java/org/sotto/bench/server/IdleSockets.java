package org.sotto.bench.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Many idle, authenticated delivery WebSockets held by one process: each connects as its own
 * device, waits for its {@code queue_empty}, and then sends and receives nothing. Thread-safe.
 */
final class IdleSockets implements AutoCloseable {
  /**
   * Connection attempts in flight at once, per process. The server listens with the JDK's default
   * accept queue of 50 connections; three holders with 16 each stay below it. Beyond it the kernel
   * drops SYNs, the client retransmits them after 1, 3, 7… seconds, and on a busy machine some
   * connects time out: measured as "Connect Timeout" with 64 per holder.
   */
  static final int CONNECT_CONCURRENCY = 16;

  /** TCP connect timeout: generous, since a connect waits in the server's accept queue. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

  /** Time allowed for one socket to be connected and get its {@code queue_empty}. */
  static final long READY_TIMEOUT_SECONDS = 60;

  /**
   * Client-side idle timeout: far longer than the whole benchmark, so only the server may close an
   * idle connection (Jetty's default of 30 s would close them while the heap is measured).
   */
  static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

  /**
   * Keep-alive ping period. The server closes a connection that carries no frame for 90 s and asks
   * clients to ping at least every 30 s; pinging a little more often keeps every socket open
   * however long the heap measurement takes. A ping is a few bytes and does not touch the server's
   * heap.
   */
  static final Duration PING_INTERVAL = Duration.ofSeconds(25);

  private final WebSocketClient client;
  private final List<DeliverySocket> sockets;
  private final ScheduledExecutorService pinger =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("keep-alive").unstarted(r));

  private IdleSockets(WebSocketClient client, List<DeliverySocket> sockets) {
    this.client = client;
    this.sockets = sockets;
    long ms = PING_INTERVAL.toMillis();
    pinger.scheduleAtFixedRate(this::pingAll, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void pingAll() {
    List<DeliverySocket> snapshot;
    synchronized (sockets) {
      snapshot = List.copyOf(sockets);
    }
    for (DeliverySocket s : snapshot) {
      s.ping();
    }
  }

  /** Opens one socket per account at {@code server}; returns once all are ready, or throws. */
  static IdleSockets open(URI server, List<BenchAccount> accounts) throws Exception {
    HttpClient http = new HttpClient();
    http.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
    WebSocketClient client = new WebSocketClient(http);
    client.setIdleTimeout(IDLE_TIMEOUT);
    client.start();
    List<DeliverySocket> sockets = new ArrayList<>(accounts.size());
    IdleSockets result = new IdleSockets(client, sockets);
    try {
      Semaphore slots = new Semaphore(CONNECT_CONCURRENCY);
      for (BenchAccount account : accounts) {
        slots.acquire();
        DeliverySocket s = DeliverySocket.connect(client, server, account, envelope -> {});
        s.ready().whenComplete((v, e) -> slots.release());
        synchronized (sockets) {
          sockets.add(s);
        }
      }
      for (DeliverySocket s : sockets) {
        s.awaitReady(READY_TIMEOUT_SECONDS);
      }
      return result;
    } catch (Exception | Error e) {
      result.close();
      throw e;
    }
  }

  /** Sockets still open. */
  int openCount() {
    int open = 0;
    for (DeliverySocket s : sockets) {
      if (!s.closed().isDone()) {
        open++;
      }
    }
    return open;
  }

  /** The reason the first closed socket closed, or null if all are open. */
  String firstCloseReason() {
    for (DeliverySocket s : sockets) {
      if (s.closed().isDone()) {
        return s.closed().join();
      }
    }
    return null;
  }

  @Override
  public void close() throws Exception {
    pinger.shutdownNow();
    for (DeliverySocket s : sockets) {
      s.close();
    }
    client.stop();
  }
}
