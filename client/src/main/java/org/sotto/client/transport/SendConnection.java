package org.sotto.client.transport;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sotto.api.AccountId;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.proto.ClientFrame;
import org.sotto.api.proto.OutgoingEnvelope;
import org.sotto.api.proto.SendRequest;
import org.sotto.api.proto.SendResponse;
import org.sotto.api.proto.ServerFrame;

/**
 * Sends as the device, over the server's send WebSocket ({@value #PATH}) once the client has sent
 * more than once, and over HTTP otherwise. Each send is one binary frame answered by one frame,
 * with the result {@link ServerApi#send} would give: a busy client saves, per message, a request's
 * headers and authentication and the JSON body's base64, and the server the same. A one-off send (a
 * CLI command) stays a plain request, without a handshake it would not amortise.
 *
 * <p>Failures behave as they do over HTTP: a send whose connection breaks before its answer, or
 * that has no answer within {@link ServerApi#REQUEST_TIMEOUT}, is a {@link TransportException} (the
 * server may have stored it). A socket that cannot be opened costs nothing: the send goes over
 * HTTP, and the socket is tried again after {@link #RETRY_AFTER}. Sends too large for one frame
 * ({@link #MAX_FRAME_BYTES}) always go over HTTP.
 *
 * <p>The socket is closed after {@link #IDLE_CLOSE} without a send, before the server's own idle
 * timeout could close it under a send. Thread-safe.
 */
public final class SendConnection implements AutoCloseable {
  /** The send socket's path on the server. */
  public static final String PATH = "/v1/websocket/send";

  /**
   * Largest send frame the server takes (it closes the socket on a larger one): two full-size
   * envelopes and framing. Larger sends (to many devices) go over HTTP.
   */
  static final int MAX_FRAME_BYTES = 2 * 256 * 1024 + 64 * 1024;

  /**
   * Sends over HTTP before the socket is opened: a second send shows a client that keeps sending.
   */
  static final int HTTP_SENDS_BEFORE_SOCKET = 1;

  /**
   * An idle socket is closed after this long: well before the server's 90 s idle timeout, so that
   * the server never closes it while a send is on its way.
   */
  public static final Duration IDLE_CLOSE = Duration.ofSeconds(45);

  /** After a failed connection attempt, sends use HTTP for this long before trying again. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  private static final System.Logger log = System.getLogger(SendConnection.class.getName());

  private final ServerApi api;
  private final URI uri;
  private final HttpClient http;
  private final DeviceCredentials credentials;
  private final ScheduledExecutorService idleCheck;

  // Guarded by this.
  private WebSocket socket;
  private Listener listener;
  private CompletableFuture<?> writes = CompletableFuture.completedFuture(null);
  private long nextId = 1;
  private int httpSends;
  private long lastUseNanos;
  private long retryAtNanos;
  private boolean idleCheckStarted;
  private boolean closed;

  private SendConnection(ServerApi api, DeviceCredentials credentials) {
    this.api = api;
    this.uri = Http.webSocket(api.server(), PATH);
    this.http = api.httpClient();
    this.credentials = credentials;
    this.retryAtNanos = System.nanoTime(); // nanoTime has no fixed origin: "now", not 0
    this.idleCheck =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("sotto-send-socket").unstarted(r));
  }

  /** Sends through {@code api} as the device {@code credentials} name. */
  public static SendConnection of(ServerApi api, DeviceCredentials credentials) {
    return new SendConnection(
        Objects.requireNonNull(api, "api"), Objects.requireNonNull(credentials, "credentials"));
  }

  /** Sends to every device of {@code recipient} as this device; see {@link ServerApi#send}. */
  public SendResult send(AccountId recipient, SendMessagesRequest request)
      throws TransportException, InterruptedException {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(request, "request");
    long id;
    synchronized (this) {
      id = nextId++;
    }
    byte[] frame = frame(id, recipient, request);
    WebSocket ws = frame.length <= MAX_FRAME_BYTES ? socket() : null;
    if (ws == null) {
      return api.send(recipient, request);
    }
    CompletableFuture<SendResponse> answer = new CompletableFuture<>();
    synchronized (this) {
      if (socket != ws) {
        // Closed since socket() returned it: nothing was sent yet.
        return api.send(recipient, request);
      }
      listener.pending.put(id, answer);
      lastUseNanos = System.nanoTime();
      writes =
          writes
              .handle((v, e) -> null)
              .thenCompose(v -> ws.sendBinary(ByteBuffer.wrap(frame), true));
    }
    SendResponse r;
    try {
      r = answer.get(ServerApi.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof TransportException t
          ? t
          : new ServerUnreachableException(api.server(), "the send failed", e.getCause());
    } catch (TimeoutException e) {
      broken(ws, "no answer in time");
      throw new ServerUnreachableException(
          api.server(),
          "no answer to a send within " + ServerApi.REQUEST_TIMEOUT.toSeconds() + " s",
          null);
    } finally {
      synchronized (this) {
        lastUseNanos = System.nanoTime();
      }
    }
    return result(r);
  }

  /** The open socket, opening it when this client sends often enough; null to use HTTP. */
  private WebSocket socket() throws InterruptedException {
    synchronized (this) {
      if (closed) {
        return null;
      }
      if (socket != null) {
        return socket;
      }
      if (httpSends < HTTP_SENDS_BEFORE_SOCKET) {
        httpSends++;
        return null;
      }
      if (System.nanoTime() - retryAtNanos < 0) {
        return null;
      }
      // Opened under the lock: concurrent first sends wait for one handshake, not start several.
      Listener l = new Listener();
      WebSocket ws;
      CompletableFuture<WebSocket> opening =
          http.newWebSocketBuilder()
              .header("Authorization", credentials.authorization())
              .connectTimeout(ServerApi.CONNECT_TIMEOUT)
              .buildAsync(uri, l);
      try {
        ws = opening.get(ServerApi.CONNECT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        opening.thenAccept(WebSocket::abort); // not wanted any more, should it still open
        throw e;
      } catch (ExecutionException | TimeoutException e) {
        opening.thenAccept(WebSocket::abort);
        retryAtNanos = System.nanoTime() + RETRY_AFTER.toNanos();
        log.log(
            System.Logger.Level.INFO,
            "send socket: cannot connect ({0}); sending over HTTP",
            e.getClass().getSimpleName());
        return null;
      }
      socket = ws;
      listener = l;
      lastUseNanos = System.nanoTime();
      if (!idleCheckStarted) {
        idleCheckStarted = true;
        long every = IDLE_CLOSE.toMillis() / 3;
        idleCheck.scheduleWithFixedDelay(this::closeIfIdle, every, every, TimeUnit.MILLISECONDS);
      }
      return ws;
    }
  }

  private void closeIfIdle() {
    WebSocket ws;
    synchronized (this) {
      ws = socket;
      if (ws == null
          || !listener.pending.isEmpty()
          || System.nanoTime() - lastUseNanos < IDLE_CLOSE.toNanos()) {
        return;
      }
      detach(ws, "closed when idle");
    }
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "idle").whenComplete((w, e) -> ws.abort());
  }

  /** Forgets {@code ws} (if current), failing the sends that wait on it. */
  private void detach(WebSocket ws, String reason) {
    List<CompletableFuture<SendResponse>> waiting;
    synchronized (this) {
      if (socket != ws) {
        return;
      }
      socket = null;
      waiting = new ArrayList<>(listener.pending.values());
      listener.pending.clear();
      listener = null;
      writes = CompletableFuture.completedFuture(null);
    }
    for (CompletableFuture<SendResponse> f : waiting) {
      f.completeExceptionally(
          new ServerUnreachableException(
              api.server(), "the send socket " + reason + " before the server answered", null));
    }
  }

  private void broken(WebSocket ws, String reason) {
    log.log(System.Logger.Level.INFO, "send socket: {0}; reconnecting on the next send", reason);
    detach(ws, reason);
    ws.abort();
  }

  /** Whether the socket is open now (tests). */
  synchronized boolean socketOpen() {
    return socket != null;
  }

  /** Closes the socket; sends still waiting fail. Later sends use HTTP. Idempotent. */
  @Override
  public void close() {
    WebSocket ws;
    synchronized (this) {
      closed = true;
      ws = socket;
    }
    if (ws != null) {
      detach(ws, "closed");
      ws.abort();
    }
    idleCheck.shutdownNow();
  }

  private static byte[] frame(long id, AccountId recipient, SendMessagesRequest request) {
    SendRequest.Builder send =
        SendRequest.newBuilder()
            .setId(id)
            .setDestination(recipient.toString())
            .setTimestamp(request.timestamp());
    for (OutgoingMessage m : request.messages()) {
      send.addMessages(
          OutgoingEnvelope.newBuilder()
              .setType(m.type())
              .setDestinationDevice(m.destinationDeviceId())
              .setDestinationRegistrationId(m.destinationRegistrationId())
              .setContent(ByteString.copyFrom(m.content())));
    }
    return ClientFrame.newBuilder().setSend(send).build().toByteArray();
  }

  /** The result {@link ServerApi#send} gives for the same answer. */
  static SendResult result(SendResponse r) throws HttpStatusException {
    return switch (r.getStatus()) {
      case 200 -> new SendResult.Sent(r.getStored());
      case 409 ->
          "mismatched_devices".equals(r.getCode())
              ? new SendResult.MismatchedDevices(r.getMissingDevicesList(), r.getExtraDevicesList())
              : failure(r);
      case 410 ->
          "stale_devices".equals(r.getCode())
              ? new SendResult.StaleDevices(r.getStaleDevicesList())
              : failure(r);
      default -> failure(r);
    };
  }

  private static SendResult failure(SendResponse r) throws HttpStatusException {
    throw new HttpStatusException(
        "send",
        r.getStatus(),
        r.getCode().isEmpty() ? HttpStatusException.UNKNOWN_CODE : r.getCode(),
        r.getMessage(),
        null);
  }

  /** The JDK callbacks of one socket: answers complete the waiting sends. */
  private final class Listener implements WebSocket.Listener {
    // Guarded by SendConnection.this.
    final Map<Long, CompletableFuture<SendResponse>> pending = new HashMap<>();
    private final ServerFrames frames = new ServerFrames();

    @Override
    public void onOpen(WebSocket ws) {
      // Unbounded demand: answers are small and handled at once (see DeliverySocketListener).
      ws.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ServerFrame frame;
      try {
        frame = frames.add(data, last);
      } catch (ProtocolViolationException e) {
        broken(ws, e.getMessage());
        return null;
      }
      if (frame != null) {
        if (frame.getFrameCase() != ServerFrame.FrameCase.SEND_RESPONSE) {
          broken(ws, "unexpected " + frame.getFrameCase() + " frame on the send socket");
          return null;
        }
        CompletableFuture<SendResponse> waiting;
        synchronized (SendConnection.this) {
          waiting = pending.remove(frame.getSendResponse().getId());
        }
        if (waiting != null) {
          waiting.complete(frame.getSendResponse());
        }
      }
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      broken(ws, "text frame on the send socket");
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      detach(ws, "closed by the server with code " + statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      detach(ws, "failed (" + error.getClass().getSimpleName() + ")");
    }
  }
}
