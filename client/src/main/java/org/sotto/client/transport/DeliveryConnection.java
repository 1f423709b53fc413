package org.sotto.client.transport;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.sotto.api.proto.Ack;
import org.sotto.api.proto.ClientFrame;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.ServerFrame;

/**
 * A device's authenticated delivery WebSocket ({@value #PATH}). The server pushes the device's
 * stored queue in order, then a QueueEmpty, then new envelopes as they arrive; an envelope is
 * deleted on the server only once this device acks it, so delivery is at least once and the SDK
 * de-duplicates by guid.
 *
 * <p>The connection pings every {@link #PING_INTERVAL} (the server closes silent connections after
 * 90 s), reconnects with exponential backoff when the connection drops or the server restarts, and
 * stops for good only when {@link #close()}d, when a newer connection of the same device replaces
 * it, when the device is removed, or when the credentials are refused. A malformed frame is logged
 * by kind (never its contents) and the connection is closed and re-opened after the backoff.
 *
 * <p>The frame callbacks ({@code onEnvelope}, {@code onQueueEmpty}, {@code onDropped}) are called
 * one at a time, in the order the frames arrived, on an internal thread; a slow listener slows the
 * stream (the next frame is read only after it returns), and while it is busy the connection is not
 * declared dead for lack of pongs. Connection-state callbacks may come from another internal
 * thread. Calling {@link #close()} from inside a listener method works but waits the full {@link
 * #CLOSE_TIMEOUT} (the server's answer cannot be delivered while the listener is busy); hand it to
 * another thread. Thread-safe: {@link #ack} and {@link #close} may be called from any thread.
 */
public final class DeliveryConnection implements AutoCloseable {
  /** The delivery socket's path on the server. */
  public static final String PATH = "/v1/websocket";

  /** How often to ping: the server closes a connection after 90 s without a frame. */
  public static final Duration PING_INTERVAL = Duration.ofSeconds(30);

  /**
   * With nothing received (not even a pong) for this long the connection is presumed dead and is
   * replaced: two missed pongs, well before the server's own 90 s idle timeout.
   */
  public static final Duration DEAD_AFTER = PING_INTERVAL.multipliedBy(2);

  /** First wait before reconnecting: short, since most drops are a server restart or a blip. */
  public static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);

  /**
   * Longest wait between reconnection attempts: a minute keeps a phone from draining its battery
   * against a down server and still reconnects promptly once it is back.
   */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  /**
   * Acks are collected for this long and sent as one frame: envelopes arrive in bursts when a queue
   * is pushed, and one frame per burst saves the server a database commit per envelope.
   */
  public static final Duration ACK_DELAY = Duration.ofMillis(20);

  /**
   * At most this many guids per ack frame: the server refuses client frames over 64 KiB, which is
   * about 3,500 guids; 1,000 keeps each frame small and each delete transaction short.
   */
  public static final int MAX_ACKS_PER_FRAME = 1000;

  /** How long {@link #close()} waits for the server to answer the close (and commit the acks). */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The server closes an older connection with this code when the same device connects again. */
  static final int CLOSE_REPLACED = 4001;

  /** The server closes a removed device's connection with this code. */
  static final int CLOSE_DEVICE_REMOVED = 4002;

  /** WebSocket close code for a protocol error (RFC 6455). */
  static final int CLOSE_PROTOCOL_ERROR = 1002;

  private static final System.Logger log = System.getLogger(DeliveryConnection.class.getName());

  /** Why a connection ended for good. */
  public enum Ended {
    /** {@link #close()} was called. */
    CLOSED,
    /** A newer connection of the same device replaced this one. */
    REPLACED,
    /** The device was removed from its account. */
    DEVICE_REMOVED,
    /** The server refused the credentials. */
    UNAUTHORIZED
  }

  /** Receives what the server pushes. See the class comment for threading. */
  public interface Listener {
    /** An envelope; ack it with {@link DeliveryConnection#ack} once it is safely stored. */
    void onEnvelope(Envelope envelope);

    /** The stored queue has been pushed; what follows arrived while connected. */
    default void onQueueEmpty() {}

    /** {@code count} envelopes were dropped from the queue (full or expired) before delivery. */
    default void onDropped(long count) {}

    /** The socket is open (first time or after a reconnect). */
    default void onConnected() {}

    /** The socket dropped; the next attempt starts in {@code retryIn}. */
    default void onDisconnected(String reason, Duration retryIn) {}

    /** The connection ended for good; no callback follows. */
    default void onEnded(Ended why) {}
  }

  private final URI uri;
  private final HttpClient http;
  private final DeviceCredentials credentials;
  private final Listener listener;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong dropped = new AtomicLong();
  private final CompletableFuture<Void> closeAnswered = new CompletableFuture<>();

  // Guarded by this.
  private WebSocket socket;
  private int generation;
  private boolean ended;
  private final Backoff backoff = new Backoff(INITIAL_BACKOFF, MAX_BACKOFF);
  private final List<ByteString> pendingAcks = new ArrayList<>();
  private ScheduledFuture<?> ackFlush;
  private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

  private volatile long lastInboundNanos;

  /** A frame callback is running: no pong can be read meanwhile, so silence proves nothing. */
  private volatile boolean inListener;

  private DeliveryConnection(
      URI uri, HttpClient http, DeviceCredentials credentials, Listener listener) {
    this.uri = uri;
    this.http = http;
    this.credentials = credentials;
    this.listener = listener;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sotto-delivery");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts connecting {@code credentials}' device to {@code api}'s server and returns at once;
   * {@link Listener#onConnected()} tells when the socket is open.
   */
  public static DeliveryConnection open(
      ServerApi api, DeviceCredentials credentials, Listener listener) {
    DeliveryConnection c =
        new DeliveryConnection(
            Http.webSocket(api.server(), PATH),
            api.httpClient(),
            Objects.requireNonNull(credentials, "credentials"),
            Objects.requireNonNull(listener, "listener"));
    c.scheduler.scheduleAtFixedRate(
        c::ping, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    c.scheduler.execute(c::connect);
    return c;
  }

  /** Whether the socket is open now. */
  public synchronized boolean isConnected() {
    return socket != null;
  }

  /** Envelopes the server reported as dropped over this connection's life. */
  public long droppedCount() {
    return dropped.get();
  }

  /**
   * Acknowledges an envelope so the server deletes it. Acks are batched ({@link #ACK_DELAY}); an
   * ack that is lost with the connection only means the envelope is delivered again.
   */
  public void ack(ByteString guid) {
    Objects.requireNonNull(guid, "guid");
    synchronized (this) {
      if (ended) {
        return;
      }
      pendingAcks.add(guid);
      if (pendingAcks.size() >= MAX_ACKS_PER_FRAME) {
        scheduler.execute(this::flushAcks);
      } else if (ackFlush == null) {
        ackFlush = scheduler.schedule(this::flushAcks, ACK_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Sends the pending acks, closes the socket cleanly and waits up to {@link #CLOSE_TIMEOUT} for
   * the server's answer (after which the acks are durable). Idempotent.
   */
  @Override
  public void close() {
    WebSocket ws;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      ws = socket;
      if (ws != null) {
        sendAcks(ws);
        enqueue(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "bye"), ws);
      }
    }
    if (ws != null) {
      try {
        closeAnswered.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.log(System.Logger.Level.DEBUG, "delivery: close not answered in time");
      }
      ws.abort();
    }
    scheduler.shutdownNow();
    notifyEnded(Ended.CLOSED);
  }

  private void connect() {
    int gen;
    synchronized (this) {
      if (ended) {
        return;
      }
      gen = ++generation;
    }
    http.newWebSocketBuilder()
        .header("Authorization", credentials.authorization())
        .connectTimeout(ServerApi.CONNECT_TIMEOUT)
        .buildAsync(uri, new DeliverySocketListener(this, gen))
        .whenComplete(
            (ws, failure) -> {
              if (failure != null) {
                connectFailed(gen, failure);
              }
            });
  }

  private void connectFailed(int gen, Throwable failure) {
    Throwable c = failure;
    while (c.getCause() != null && !(c instanceof WebSocketHandshakeException)) {
      c = c.getCause();
    }
    if (c instanceof WebSocketHandshakeException h && h.getResponse().statusCode() == 401) {
      end(gen, Ended.UNAUTHORIZED);
      return;
    }
    String reason =
        c instanceof WebSocketHandshakeException h
            ? "handshake refused with HTTP " + h.getResponse().statusCode()
            : Http.unreachable(uri, failure).getMessage();
    dropped(gen, reason);
  }

  /** The socket of generation {@code gen} dropped: reconnect after the backoff. */
  void dropped(int gen, String reason) {
    Duration delay;
    synchronized (this) {
      if (ended) {
        closeAnswered.complete(null);
        return;
      }
      if (gen != generation) {
        return;
      }
      socket = null;
      delay = backoff.next(ThreadLocalRandom.current());
      generation++; // late callbacks of the dropped socket are ignored from here on
      scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.log(System.Logger.Level.INFO, "delivery: disconnected ({0}), retrying", reason);
    try {
      listener.onDisconnected(reason, delay);
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
  }

  private void end(int gen, Ended why) {
    WebSocket ws;
    synchronized (this) {
      if (ended || gen != generation) {
        return;
      }
      ended = true;
      ws = socket;
      socket = null;
    }
    if (ws != null) {
      ws.abort();
    }
    scheduler.shutdownNow();
    log.log(System.Logger.Level.INFO, "delivery: ended ({0})", why);
    notifyEnded(why);
  }

  private void notifyEnded(Ended why) {
    try {
      listener.onEnded(why);
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
  }

  private void ping() {
    WebSocket ws;
    int gen;
    synchronized (this) {
      ws = socket;
      gen = generation;
    }
    if (ws == null) {
      return;
    }
    if (!inListener && System.nanoTime() - lastInboundNanos > DEAD_AFTER.toNanos()) {
      ws.abort();
      dropped(gen, "no answer to pings");
      return;
    }
    synchronized (this) {
      enqueue(w -> w.sendPing(ByteBuffer.allocate(0)), ws);
    }
  }

  private void flushAcks() {
    synchronized (this) {
      ackFlush = null;
      if (socket != null) {
        sendAcks(socket);
      }
    }
  }

  /** Sends every pending ack on {@code ws} in frames of at most {@link #MAX_ACKS_PER_FRAME}. */
  private void sendAcks(WebSocket ws) {
    assert Thread.holdsLock(this);
    while (!pendingAcks.isEmpty()) {
      List<ByteString> batch =
          new ArrayList<>(pendingAcks.subList(0, Math.min(MAX_ACKS_PER_FRAME, pendingAcks.size())));
      pendingAcks.subList(0, batch.size()).clear();
      byte[] frame =
          ClientFrame.newBuilder()
              .setAck(Ack.newBuilder().addAllGuids(batch))
              .build()
              .toByteArray();
      enqueue(w -> w.sendBinary(ByteBuffer.wrap(frame), true), ws);
    }
  }

  /**
   * Runs {@code send} after the previous send completed: the JDK WebSocket allows one outstanding
   * send at a time.
   */
  private void enqueue(Function<WebSocket, CompletableFuture<WebSocket>> send, WebSocket ws) {
    assert Thread.holdsLock(this);
    sends = sends.handle((v, e) -> null).thenCompose(v -> send.apply(ws));
  }

  private void listenerFailed(RuntimeException e) {
    log.log(
        System.Logger.Level.WARNING, "delivery: listener threw {0}", e.getClass().getSimpleName());
  }

  /** The socket of generation {@code gen} opened; false if it is no longer wanted. */
  boolean opened(int gen, WebSocket ws) {
    synchronized (this) {
      if (ended || gen != generation) {
        return false;
      }
      socket = ws;
      backoff.reset();
      lastInboundNanos = System.nanoTime();
      sendAcks(ws);
    }
    log.log(System.Logger.Level.DEBUG, "delivery: connected");
    try {
      listener.onConnected();
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
    return true;
  }

  /** Something (a frame, a ping, a pong) arrived: the connection is alive. */
  void inbound() {
    lastInboundNanos = System.nanoTime();
  }

  /** Hands a decoded {@code frame} to the listener; false if it does not belong on this socket. */
  boolean deliver(ServerFrame frame) {
    inListener = true;
    try {
      switch (frame.getFrameCase()) {
        case ENVELOPE -> listener.onEnvelope(frame.getEnvelope());
        case QUEUE_EMPTY -> listener.onQueueEmpty();
        case DROPPED -> {
          dropped.addAndGet(frame.getDropped().getCount());
          listener.onDropped(frame.getDropped().getCount());
        }
        default -> {
          return false;
        }
      }
    } catch (RuntimeException e) {
      listenerFailed(e);
    } finally {
      lastInboundNanos = System.nanoTime();
      inListener = false;
    }
    return true;
  }

  /** The server closed socket {@code gen} with {@code code}. */
  void closedByServer(int gen, int code) {
    switch (code) {
      case CLOSE_REPLACED -> end(gen, Ended.REPLACED);
      case CLOSE_DEVICE_REMOVED -> end(gen, Ended.DEVICE_REMOVED);
      default -> dropped(gen, "closed by the server with code " + code);
    }
  }

  /** The server broke the protocol on socket {@code gen}: log the kind, close, reconnect. */
  void violation(int gen, WebSocket ws, String what) {
    log.log(System.Logger.Level.WARNING, "delivery: {0}; closing the connection", what);
    ws.sendClose(CLOSE_PROTOCOL_ERROR, "protocol error");
    ws.abort();
    dropped(gen, what);
  }
}
