package org.sotto.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.api.proto.Ack;
import org.sotto.api.proto.ClientFrame;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.ServerFrame;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.SessionBuilder;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kem.KEMPublicKey;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyBundle;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;
import org.sotto.protocol.util.KeyHelper;

/**
 * One demo device talking to a real server: it owns its keys (in memory), registers, publishes
 * prekeys, sends encrypted messages over HTTP and receives them on its delivery WebSocket. A
 * deliberately small stand-in for the client SDK, used by {@code sotto demo} and by end-to-end
 * tests. Not thread-safe (one device, one caller).
 */
public final class DemoDevice implements AutoCloseable {
  /** How long to wait for a pushed frame before giving up. */
  static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(20);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ONE_TIME_PREKEYS = 5;

  private final String name;
  private final URI server;
  private final HttpClient http;
  private final SecureRandom rng;
  private final IdentityKeyPair identity;
  private final InMemorySignalProtocolStore store;
  private final String secret;
  private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
  private String accountId;
  private WebSocket socket;

  /** A fresh device with new keys; call {@link #register(String)} next. */
  public DemoDevice(String name, URI server, HttpClient http, SecureRandom rng) {
    this.name = name;
    this.server = server;
    this.http = http;
    this.rng = rng;
    this.identity = IdentityKeyPair.generate(rng);
    this.store = new InMemorySignalProtocolStore(identity, KeyHelper.generateRegistrationId(rng));
    byte[] s = new byte[24];
    rng.nextBytes(s);
    this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(s);
  }

  /** The display name. */
  public String name() {
    return name;
  }

  /** The server-assigned account id (after registration). */
  public String accountId() {
    return accountId;
  }

  /** This device's protocol store (keys and sessions, device-side only). */
  public InMemorySignalProtocolStore store() {
    return store;
  }

  /** Registers an account (handle may be null) with fresh prekeys; the private halves stay here. */
  public void register(String handle) throws IOException, InterruptedException {
    Instant now = Instant.now();
    SignedPreKeyRecord signed = KeyHelper.generateSignedPreKey(identity, 1, now, rng);
    KyberPreKeyRecord lastResort = KeyHelper.generateKyberPreKey(identity, 1000, true, now, rng);
    store.storeSignedPreKey(signed.id(), signed);
    store.storeKyberPreKey(lastResort.id(), lastResort);
    List<PreKey> preKeys = new ArrayList<>();
    List<KyberPreKey> kyberKeys = new ArrayList<>();
    for (int i = 1; i <= ONE_TIME_PREKEYS; i++) {
      PreKeyRecord p = KeyHelper.generatePreKey(i, rng);
      store.storePreKey(i, p);
      preKeys.add(new PreKey(i, p.keyPair().publicKey().serialize()));
      KyberPreKeyRecord k = KeyHelper.generateKyberPreKey(identity, 100 + i, false, now, rng);
      store.storeKyberPreKey(k.id(), k);
      kyberKeys.add(new KyberPreKey(k.id(), k.keyPair().publicKey().serialize(), k.signature()));
    }
    DeviceKeys keys =
        new DeviceKeys(
            store.getLocalRegistrationId(),
            new SignedPreKey(
                signed.id(), signed.keyPair().publicKey().serialize(), signed.signature()),
            new KyberPreKey(
                lastResort.id(),
                lastResort.keyPair().publicKey().serialize(),
                lastResort.signature()),
            preKeys,
            kyberKeys);
    JsonNode r =
        call(
            "POST",
            "/v1/accounts",
            new RegisterRequest(
                handle, identity.identityKey().serialize(), secret, keys, null, null),
            false);
    accountId = r.get("accountId").asText();
  }

  /** Opens the delivery WebSocket; pushed frames queue up for {@link #receive()}. */
  public void connect() {
    URI ws = URI.create(server.toString().replaceFirst("^http", "ws") + "/v1/websocket");
    socket =
        http.newWebSocketBuilder()
            .header("Authorization", basicAuth())
            .buildAsync(ws, new Listener())
            .join();
  }

  /** The protocol address of {@code other}'s first device. */
  public static ProtocolAddress address(DemoDevice other) {
    return new ProtocolAddress(other.accountId, 1);
  }

  /** Fetches {@code to}'s prekey bundle and runs PQXDH, unless a session exists already. */
  public void startSession(DemoDevice to) throws Exception {
    ProtocolAddress peer = address(to);
    if (!store.containsSession(peer)) {
      JsonNode bundle = call("GET", "/v1/keys/" + to.accountId + "/1", null, true);
      new SessionBuilder(store, peer).process(bundle(bundle), Instant.now(), rng);
    }
  }

  /** Encrypts {@code text} for every device of {@code to} and sends it in one request. */
  public void send(DemoDevice to, String text) throws Exception {
    Instant now = Instant.now();
    ProtocolAddress peer = address(to);
    startSession(to);
    CiphertextMessage message =
        new SessionCipher(store, new ProtocolAddress(accountId, 1), peer)
            .encrypt(text.getBytes(StandardCharsets.UTF_8), now, rng);
    int type = message.type() == CiphertextMessage.PREKEY_TYPE ? 3 : 1;
    call(
        "PUT",
        "/v1/messages/" + to.accountId,
        new SendMessagesRequest(
            List.of(
                new OutgoingMessage(
                    type, 1, to.store.getLocalRegistrationId(), message.serialize())),
            now.toEpochMilli()),
        true);
  }

  /** A received and decrypted message, with what the wire carried. */
  public record Received(Envelope envelope, String plaintext) {
    /** A short hex preview of the ciphertext. */
    public String preview(int bytes) {
      byte[] c = envelope.getContent().toByteArray();
      return HexFormat.of().formatHex(c, 0, Math.min(bytes, c.length)) + "…";
    }
  }

  /** Waits for the next pushed envelope, decrypts it and acks it (so the server deletes it). */
  public Received receive() throws Exception {
    while (true) {
      ServerFrame frame = frames.poll(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new IOException(name + ": no message arrived within " + RECEIVE_TIMEOUT);
      }
      if (!frame.hasEnvelope()) {
        continue;
      }
      Envelope e = frame.getEnvelope();
      ProtocolAddress from = new ProtocolAddress(e.getSourceAccount(), e.getSourceDevice());
      SessionCipher cipher = new SessionCipher(store, new ProtocolAddress(accountId, 1), from);
      byte[] content = e.getContent().toByteArray();
      byte[] plain =
          e.getType() == Envelope.Type.PREKEY_MESSAGE
              ? cipher.decrypt(PreKeySignalMessage.fromBytes(content), Instant.now(), rng)
              : cipher.decrypt(SignalMessage.fromBytes(content), Instant.now(), rng);
      ClientFrame ack =
          ClientFrame.newBuilder().setAck(Ack.newBuilder().addGuids(e.getGuid())).build();
      socket.sendBinary(ByteBuffer.wrap(ack.toByteArray()), true).join();
      return new Received(e, new String(plain, StandardCharsets.UTF_8));
    }
  }

  private static PreKeyBundle bundle(JsonNode json) throws Exception {
    JsonNode d = json.get("devices").get(0);
    JsonNode pre = d.get("preKey");
    boolean hasPre = pre != null && !pre.isNull();
    return new PreKeyBundle(
        d.get("registrationId").asInt(),
        d.get("deviceId").asInt(),
        hasPre ? pre.get("keyId").asInt() : null,
        hasPre ? ECPublicKey.fromBytes(b64(pre.get("publicKey"))) : null,
        d.get("signedPreKey").get("keyId").asInt(),
        ECPublicKey.fromBytes(b64(d.get("signedPreKey").get("publicKey"))),
        b64(d.get("signedPreKey").get("signature")),
        d.get("kyberPreKey").get("keyId").asInt(),
        KEMPublicKey.fromBytes(b64(d.get("kyberPreKey").get("publicKey"))),
        b64(d.get("kyberPreKey").get("signature")),
        IdentityKey.fromBytes(b64(json.get("identityKey"))));
  }

  private static byte[] b64(JsonNode n) {
    return Base64.getDecoder().decode(n.asText());
  }

  /** The device secret (for tests that check it never reaches the server's disk). */
  String secret() {
    return secret;
  }

  /** The HTTP Basic credentials of this device. */
  public String basicAuth() {
    String user = accountId + ".1:" + secret;
    return "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode call(String method, String path, Object body, boolean auth)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
            .header("Content-Type", "application/json");
    if (auth) {
      b.header("Authorization", basicAuth());
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(
          method
              + " "
              + path.replaceAll("[0-9a-f-]{36}", "{id}")
              + " failed: HTTP "
              + r.statusCode()
              + " "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
    return r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
    }
  }

  @Override
  public String toString() {
    return "DemoDevice[" + name + "]";
  }

  private final class Listener implements WebSocket.Listener {
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        try {
          frames.add(ServerFrame.parseFrom(partial.toByteArray()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          // A frame we cannot parse is ignored; the demo only waits for envelopes.
        }
        partial.reset();
      }
      ws.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
