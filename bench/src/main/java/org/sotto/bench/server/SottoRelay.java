package org.sotto.bench.server;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.server.http.Json;

/**
 * The relay through a Sotto server, as its clients use it: each sender is a registered account that
 * sends with {@code PUT /v1/messages/{recipient}} (HTTP/1.1 keep-alive, one request at a time per
 * sender, the 200 arrives after the durable commit), each recipient a registered account holding
 * its delivery WebSocket, which receives the pushed envelope and acks it (the server then deletes
 * it). Senders and recipients may use different nodes of a cluster (senders on one, recipients'
 * sockets on another). Thread-safe as {@link Relay} requires.
 */
final class SottoRelay implements Relay {
  /** {@code Envelope.Type.CIPHERTEXT}: an ordinary Double Ratchet message. */
  static final int CIPHERTEXT = 1;

  /** Time allowed for one send, far above any healthy latency: a stuck server fails the run. */
  static final long SEND_TIMEOUT_SECONDS = 30;

  /** Time allowed for all recipients to connect and receive their (empty) queue. */
  static final long CONNECT_TIMEOUT_SECONDS = 60;

  /** Extra pooled HTTP connections beyond one per sender (registration and stray requests). */
  static final int SPARE_CONNECTIONS = 16;

  /**
   * Idle timeout of the senders' pooled connections and the recipients' sockets on the client side:
   * longer than any pause between the phases of a run, so no connection is re-opened mid-run.
   */
  static final Duration CLIENT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** Characters of an error body quoted in an exception. */
  static final int EXCERPT_CHARS = 300;

  private final URI server;
  private final URI deliveryServer;
  private final BenchAccounts accounts;
  private HttpClient http;
  private HttpClient wsHttp;
  private WebSocketClient ws;
  private List<BenchAccount> senders;
  private List<BenchAccount> recipients;
  private URI[] sendUris;
  private final List<DeliverySocket> sockets = new ArrayList<>();

  /** A relay through the server at {@code server}, registering accounts with {@code accounts}. */
  SottoRelay(URI server, BenchAccounts accounts) {
    this(server, server, accounts);
  }

  /**
   * A relay whose senders register and send through {@code server} and whose recipients hold their
   * delivery sockets on {@code deliveryServer} (another node of the same cluster).
   */
  SottoRelay(URI server, URI deliveryServer, BenchAccounts accounts) {
    this.server = server;
    this.deliveryServer = deliveryServer;
    this.accounts = accounts;
  }

  @Override
  public String name() {
    return "sotto";
  }

  @Override
  public void open(int pairs, Delivery delivery) throws Exception {
    http = new HttpClient();
    http.setMaxConnectionsPerDestination(pairs + SPARE_CONNECTIONS);
    http.setIdleTimeout(CLIENT_IDLE_TIMEOUT.toMillis());
    http.start();
    List<BenchAccount> all = accounts.register(http, server, 2 * pairs, "relay accounts");
    senders = all.subList(0, pairs);
    recipients = all.subList(pairs, 2 * pairs);
    sendUris = new URI[pairs];
    for (int i = 0; i < pairs; i++) {
      sendUris[i] = server.resolve("/v1/messages/" + recipients.get(i).accountId());
    }
    // WebSockets on their own client, so upgraded connections never compete with the send pool.
    wsHttp = new HttpClient();
    ws = new WebSocketClient(wsHttp);
    ws.setIdleTimeout(CLIENT_IDLE_TIMEOUT);
    ws.start();
    for (int i = 0; i < pairs; i++) {
      int pair = i;
      sockets.add(
          DeliverySocket.connect(
              ws,
              deliveryServer,
              recipients.get(i),
              envelope -> delivery.delivered(pair, envelope.getContent().toByteArray())));
    }
    for (DeliverySocket s : sockets) {
      s.awaitReady(CONNECT_TIMEOUT_SECONDS);
    }
  }

  @Override
  public void send(int pair, byte[] payload) throws Exception {
    BenchAccount to = recipients.get(pair);
    byte[] body =
        Json.write(
            new SendMessagesRequest(
                List.of(
                    new OutgoingMessage(CIPHERTEXT, to.deviceId(), to.registrationId(), payload)),
                System.currentTimeMillis()));
    ContentResponse r =
        http.newRequest(sendUris[pair])
            .method(HttpMethod.PUT)
            .headers(h -> h.put(HttpHeader.AUTHORIZATION, senders.get(pair).basicAuth()))
            .body(new BytesRequestContent("application/json", body))
            .timeout(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .send();
    if (r.getStatus() != 200) {
      throw new IOException(
          "PUT /v1/messages/… answered HTTP " + r.getStatus() + ": " + excerpt(r.getContent()));
    }
  }

  /** Fails if a recipient's socket closed or could not send an ack. */
  void checkSockets() {
    for (DeliverySocket s : sockets) {
      if (s.closed().isDone()) {
        throw new IllegalStateException(
            "a recipient's WebSocket closed during the run: " + s.closed().join());
      }
      if (s.ackFailure() != null) {
        throw new IllegalStateException("an ack could not be sent", s.ackFailure());
      }
    }
  }

  @Override
  public void close() throws Exception {
    for (DeliverySocket s : sockets) {
      s.close();
    }
    sockets.clear();
    if (ws != null) {
      ws.stop();
    }
    if (http != null) {
      http.stop();
    }
  }

  /** The start of a response body, for an error message. */
  static String excerpt(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    return s.length() <= EXCERPT_CHARS ? s : s.substring(0, EXCERPT_CHARS) + "…";
  }
}
