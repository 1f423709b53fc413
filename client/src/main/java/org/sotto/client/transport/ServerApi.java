package org.sotto.client.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.sotto.api.AccountId;
import org.sotto.api.ApiChecks;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.AccountInfo;
import org.sotto.api.dto.AttachmentCreated;
import org.sotto.api.dto.DeviceInfo;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.DeviceList;
import org.sotto.api.dto.HandleLookupResponse;
import org.sotto.api.dto.HandleRequest;
import org.sotto.api.dto.KeyBundleResponse;
import org.sotto.api.dto.KeyUploadRequest;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.MismatchedDevices;
import org.sotto.api.dto.PowChallenge;
import org.sotto.api.dto.PreKeyCount;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.api.dto.ProfileResponse;
import org.sotto.api.dto.ProvisioningCode;
import org.sotto.api.dto.ProvisioningMessageRequest;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.dto.SendMessagesResponse;
import org.sotto.api.dto.SenderCertificateResponse;
import org.sotto.api.dto.ServerConfigResponse;
import org.sotto.api.dto.StaleDevices;

/**
 * A typed client for the server's HTTP API: JSON over HTTP/1.1 with keep-alive (the JDK client
 * pools connections). It moves ciphertext and public keys only; the SDK above owns every private
 * key. Calls that act as a device need {@link #as(DeviceCredentials)}; the others work on the plain
 * instance. Every failure is a {@link TransportException}; an unreadable local file is an {@link
 * java.io.UncheckedIOException} (a local file that fails while a transfer streams surfaces as the
 * transfer's {@link ServerUnreachableException}, since the JDK client reports both as one I/O
 * error). Immutable and thread-safe; instances made by {@link #as} share one connection pool.
 */
public final class ServerApi {
  /** Connecting longer than this means the server is down or unreachable from here. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A JSON call that has not answered within this time has failed: every endpoint answers after at
   * most one durable database commit, which takes milliseconds.
   */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * An attachment part or download must start answering within this time. The JDK's timeout runs
   * until the response headers arrive, which for an upload is after the whole body was sent: 10
   * minutes covers {@link #UPLOAD_PART_BYTES} at 100 kbit/s.
   */
  public static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Attachments are uploaded in parts of this size, so a dropped connection costs at most one part
   * and progress is committed on the server as it goes.
   */
  public static final long UPLOAD_PART_BYTES = 8L * 1024 * 1024;

  /**
   * A failed part is resumed (HEAD for the server's offset, then continue) at most this many times
   * in a row before the upload gives up; a part that makes progress resets the count.
   */
  public static final int MAX_UPLOAD_RETRIES = 3;

  /**
   * Wait before resuming a failed part, times the number of failures in a row: gives the server
   * time to notice the broken request and a flaky network time to recover.
   */
  public static final Duration UPLOAD_RETRY_DELAY = Duration.ofMillis(500);

  /** The header a sealed-sender send carries instead of credentials. */
  static final String UNIDENTIFIED_ACCESS_KEY = "Unidentified-Access-Key";

  /** Provisioning addresses are base64url; refused otherwise before a request. */
  private static final Pattern PROVISIONING_ADDRESS = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Exchange exchange;
  private final AttachmentTransfers attachments;

  private ServerApi(URI base, HttpClient http, DeviceCredentials credentials) {
    this.exchange = new Exchange(base, http, credentials);
    this.attachments = new AttachmentTransfers(exchange);
  }

  /** A client for the server at {@code base} (http:// or https://) with its own connection pool. */
  public static ServerApi create(URI base) {
    URI normalised = Http.normalise(base);
    return create(normalised, newHttpClient(normalised));
  }

  /** A client for {@code base} over {@code http} (shared with sockets, for one connection pool). */
  public static ServerApi create(URI base, HttpClient http) {
    return new ServerApi(Http.normalise(base), Objects.requireNonNull(http, "http"), null);
  }

  /** An HTTP/1.1 client with {@link #CONNECT_TIMEOUT}, as this package expects. */
  public static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * {@link #newHttpClient()} for requests to {@code base} only. For a plain {@code http://} server
   * the client gets a TLS context that trusts no one instead of the JDK's default one: it never
   * speaks TLS (redirects are not followed, every request goes to {@code base}), and building the
   * default context parses the whole CA store, a fifth of a second of a short command's start.
   */
  static HttpClient newHttpClient(URI base) {
    if (!"http".equalsIgnoreCase(base.getScheme())) {
      return newHttpClient();
    }
    SSLContext none;
    try {
      none = SSLContext.getInstance("TLS");
      none.init(new KeyManager[0], new TrustManager[0], null);
    } catch (NoSuchAlgorithmException | KeyManagementException e) {
      return newHttpClient(); // Cannot happen on a JDK; the default context works too.
    }
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(none)
        .build();
  }

  /** This client acting as the device {@code credentials} name (same connection pool). */
  public ServerApi as(DeviceCredentials credentials) {
    return new ServerApi(
        exchange.base, exchange.http, Objects.requireNonNull(credentials, "credentials"));
  }

  /** The server's base URL. */
  public URI server() {
    return exchange.base;
  }

  /** The HTTP client (to open sockets over the same pool). */
  public HttpClient httpClient() {
    return exchange.http;
  }

  // ---- accounts ----

  /** A fresh registration challenge (its {@code bits} is 0 when the server wants no proof). */
  public PowChallenge registrationChallenge() throws TransportException, InterruptedException {
    return exchange
        .json("registrationChallenge", "POST", "/v1/registration/challenge", null, false)
        .as(PowChallenge.class);
  }

  /**
   * Registers an account with its first device, solving the server's proof-of-work first when it
   * asks for one. {@code handle} and {@code inviteCode} may be null.
   */
  public RegisterResponse register(
      String handle, byte[] identityKey, String deviceSecret, DeviceKeys keys, String inviteCode)
      throws TransportException, InterruptedException {
    PowChallenge challenge = registrationChallenge();
    org.sotto.api.dto.ProofOfWork proof =
        challenge.bits() == 0 ? null : ProofOfWorkSolver.solve(challenge);
    return register(
        new RegisterRequest(handle, identityKey, deviceSecret, keys, proof, inviteCode));
  }

  /** Registers with a request as given (proof already solved, or none needed). */
  public RegisterResponse register(RegisterRequest request)
      throws TransportException, InterruptedException {
    return exchange
        .json("register", "POST", "/v1/accounts", request, false)
        .as(RegisterResponse.class);
  }

  /** The calling device's account id, device id and handle. */
  public AccountInfo accountInfo() throws TransportException, InterruptedException {
    return exchange.json("accountInfo", "GET", "/v1/accounts/me", null, true).as(AccountInfo.class);
  }

  /** Deletes the caller's account and all its data on the server. */
  public void deleteAccount() throws TransportException, InterruptedException {
    exchange.json("deleteAccount", "DELETE", "/v1/accounts/me", null, true);
  }

  /** Sets or changes the caller's handle; {@code HttpStatusException} 409 "handle_taken". */
  public void setHandle(String handle) throws TransportException, InterruptedException {
    exchange.json("setHandle", "PUT", "/v1/accounts/me/handle", new HandleRequest(handle), true);
  }

  /** Removes the caller's handle. */
  public void clearHandle() throws TransportException, InterruptedException {
    exchange.json("clearHandle", "DELETE", "/v1/accounts/me/handle", null, true);
  }

  /** The account owning {@code handle}; empty if nobody does. */
  public Optional<AccountId> lookupHandle(String handle)
      throws TransportException, InterruptedException {
    String h = ApiChecks.handle(ApiChecks.required(handle, "handle"), "handle");
    try {
      return Optional.of(
          exchange
              .json("lookupHandle", "GET", "/v1/accounts/handle/" + h, null, true)
              .as(HandleLookupResponse.class)
              .accountId());
    } catch (HttpStatusException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  // ---- keys ----

  /** Uploads one-time prekeys and/or replaces the signed and last-resort prekeys. */
  public void uploadKeys(KeyUploadRequest request) throws TransportException, InterruptedException {
    exchange.json("uploadKeys", "PUT", "/v1/keys", request, true);
  }

  /** How many one-time prekeys the server still holds for the calling device. */
  public PreKeyCount preKeyCount() throws TransportException, InterruptedException {
    return exchange.json("preKeyCount", "GET", "/v1/keys/count", null, true).as(PreKeyCount.class);
  }

  /** The prekey bundle of one device (consumes one of its one-time prekeys). */
  public KeyBundleResponse keyBundle(AccountId account, DeviceId device)
      throws TransportException, InterruptedException {
    return exchange
        .json("keyBundle", "GET", "/v1/keys/" + account + "/" + device, null, true)
        .as(KeyBundleResponse.class);
  }

  /** The prekey bundles of every device of {@code account}. */
  public KeyBundleResponse keyBundles(AccountId account)
      throws TransportException, InterruptedException {
    return exchange
        .json("keyBundles", "GET", "/v1/keys/" + account + "/*", null, true)
        .as(KeyBundleResponse.class);
  }

  // ---- devices ----

  /** The device ids of the caller's account. */
  public List<DeviceId> devices() throws TransportException, InterruptedException {
    DeviceList list =
        exchange.json("devices", "GET", "/v1/devices", null, true).as(DeviceList.class);
    try {
      return list.devices().stream().map(DeviceInfo::deviceId).map(DeviceId::new).toList();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ProtocolViolationException("devices: invalid device id in response", null);
    }
  }

  /**
   * The devices of the caller's account with their encrypted names (null when a device gave none).
   */
  public List<DeviceInfo> deviceInfos() throws TransportException, InterruptedException {
    DeviceList list =
        exchange.json("devices", "GET", "/v1/devices", null, true).as(DeviceList.class);
    try {
      for (DeviceInfo d : list.devices()) {
        new DeviceId(d.deviceId());
      }
      return List.copyOf(list.devices());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ProtocolViolationException("devices: invalid device id in response", null);
    }
  }

  /** Removes a device of the caller's account (not device 1). */
  public void removeDevice(DeviceId device) throws TransportException, InterruptedException {
    exchange.json("removeDevice", "DELETE", "/v1/devices/" + device, null, true);
  }

  /** A short-lived code that lets one new device join the caller's account. */
  public ProvisioningCode provisioningCode() throws TransportException, InterruptedException {
    return exchange
        .json("provisioningCode", "POST", "/v1/devices/provisioning/code", null, true)
        .as(ProvisioningCode.class);
  }

  /** (New device) joins an account with a provisioning code; no credentials needed. */
  public RegisterResponse linkDevice(LinkDeviceRequest request)
      throws TransportException, InterruptedException {
    return exchange
        .json("linkDevice", "POST", "/v1/devices/link", request, false)
        .as(RegisterResponse.class);
  }

  /** (Existing device) relays an encrypted provisioning message to a new device's address. */
  public void sendProvisioningMessage(String address, byte[] body)
      throws TransportException, InterruptedException {
    if (address == null || !PROVISIONING_ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException("address: not a provisioning address");
    }
    exchange.json(
        "sendProvisioningMessage",
        "PUT",
        "/v1/provisioning/" + address,
        new ProvisioningMessageRequest(body),
        true);
  }

  // ---- profiles ----

  /** Sets the caller's encrypted profile and unidentified-delivery token. */
  public void setProfile(ProfileRequest request) throws TransportException, InterruptedException {
    exchange.json("setProfile", "PUT", "/v1/profile", request, true);
  }

  /** An account's identity key and encrypted profile. */
  public ProfileResponse profile(AccountId account)
      throws TransportException, InterruptedException {
    return exchange
        .json("profile", "GET", "/v1/profile/" + account, null, true)
        .as(ProfileResponse.class);
  }

  // ---- messages ----

  /** Sends to every device of {@code recipient} as the calling device. */
  public SendResult send(AccountId recipient, SendMessagesRequest request)
      throws TransportException, InterruptedException {
    return send("send", recipient, request, null);
  }

  /**
   * Sends sealed: no credentials, the recipient's 16-byte unidentified-access key instead; every
   * message must be of type 6. A wrong key is an {@link HttpStatusException} 401.
   */
  public SendResult sendSealed(AccountId recipient, SendMessagesRequest request, byte[] accessKey)
      throws TransportException, InterruptedException {
    ApiChecks.bytes(accessKey, "accessKey", 16, 16);
    return send("sendSealed", recipient, request, Base64.getEncoder().encodeToString(accessKey));
  }

  private SendResult send(
      String operation, AccountId recipient, SendMessagesRequest request, String accessKey)
      throws TransportException, InterruptedException {
    Objects.requireNonNull(recipient, "recipient");
    HttpRequest.Builder b =
        exchange
            .request("PUT", "/v1/messages/" + recipient, REQUEST_TIMEOUT, accessKey == null)
            .header("Content-Type", "application/json");
    b.method("PUT", HttpRequest.BodyPublishers.ofByteArray(Http.write(request)));
    if (accessKey != null) {
      b.header(UNIDENTIFIED_ACCESS_KEY, accessKey);
    }
    HttpResponse<byte[]> r = exchange.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    switch (r.statusCode()) {
      case 200 -> {
        return new SendResult.Sent(
            Http.read(operation, r.body(), SendMessagesResponse.class).stored());
      }
      case 409 -> {
        if (isStandardError(r.body())) {
          break;
        }
        MismatchedDevices m = Http.read(operation, r.body(), MismatchedDevices.class);
        return new SendResult.MismatchedDevices(
            nonNull(m.missingDevices()), nonNull(m.extraDevices()));
      }
      case 410 -> {
        if (isStandardError(r.body())) {
          break;
        }
        StaleDevices s = Http.read(operation, r.body(), StaleDevices.class);
        return new SendResult.StaleDevices(nonNull(s.staleDevices()));
      }
      default -> {}
    }
    throw Http.status(operation, r, r.body());
  }

  /** Whether the body is a standard error body rather than the typed 409/410 body. */
  private static boolean isStandardError(byte[] body) {
    try {
      return Http.JSON.readTree(body).has("code");
    } catch (IOException e) {
      return false;
    }
  }

  private static List<Integer> nonNull(List<Integer> list) {
    return list == null ? List.of() : list;
  }

  // ---- attachments ----

  /** Starts an upload of exactly {@code length} bytes of ciphertext. */
  public AttachmentCreated createAttachment(long length)
      throws TransportException, InterruptedException {
    return attachments.createAttachment(length);
  }

  /** How many bytes of attachment {@code id} the server has received (HEAD, Upload-Offset). */
  public long attachmentOffset(String id) throws TransportException, InterruptedException {
    return attachments.attachmentOffset(id);
  }

  /**
   * Uploads {@code file} as a new attachment in parts of {@link #UPLOAD_PART_BYTES}; a failed part
   * is resumed from the server's offset (at most {@link #MAX_UPLOAD_RETRIES} times in a row).
   * Returns the attachment id.
   */
  public String uploadAttachment(Path file) throws TransportException, InterruptedException {
    return attachments.uploadAttachment(file);
  }

  /**
   * {@link #uploadAttachment(Path)} reporting progress: {@code progress} gets the number of bytes
   * the server has (or is being sent) as the upload goes on, from the uploading thread.
   */
  public String uploadAttachment(Path file, java.util.function.LongConsumer progress)
      throws TransportException, InterruptedException {
    return attachments.uploadAttachment(file, UPLOAD_PART_BYTES, progress);
  }

  /** Same with another part size (tests). */
  String uploadAttachment(Path file, long partBytes)
      throws TransportException, InterruptedException {
    return attachments.uploadAttachment(file, partBytes);
  }

  /**
   * Continues an interrupted upload of {@code file} to attachment {@code id}: asks the server how
   * much it has and sends the rest.
   */
  public void resumeAttachment(String id, Path file)
      throws TransportException, InterruptedException {
    attachments.resumeAttachment(id, file);
  }

  /**
   * Sends bytes {@code [offset, offset + count)} of {@code file} at Upload-Offset {@code offset}.
   * Returns the server's new offset.
   */
  public long appendAttachment(String id, Path file, long offset, long count)
      throws TransportException, InterruptedException {
    return attachments.appendAttachment(id, file, offset, count);
  }

  /**
   * Downloads attachment {@code id} into {@code target}, streaming (nothing is held in memory and
   * no digest is checked here: the SDK verifies the ciphertext). If {@code target} already holds a
   * prefix (an earlier interrupted download), only the rest is requested with a Range header.
   * Returns the file's final size.
   */
  public long downloadAttachment(String id, Path target)
      throws TransportException, InterruptedException {
    return attachments.downloadAttachment(id, target);
  }

  /**
   * Downloads attachment {@code id} from byte {@code from} on: with {@code from} 0 {@code target}
   * is replaced, otherwise the bytes are appended to it. Returns the file's final size.
   */
  public long downloadAttachment(String id, Path target, long from)
      throws TransportException, InterruptedException {
    return attachments.downloadAttachment(id, target, from);
  }

  // ---- server ----

  /** Public settings: sealed-sender trust root, registration mode, limits. */
  public ServerConfigResponse config() throws TransportException, InterruptedException {
    return exchange.json("config", "GET", "/v1/config", null, false).as(ServerConfigResponse.class);
  }

  /** A sealed-sender certificate for the calling device (serialized SenderCertificate). */
  public byte[] senderCertificate() throws TransportException, InterruptedException {
    return exchange
        .json("senderCertificate", "GET", "/v1/certificate/delivery", null, true)
        .as(SenderCertificateResponse.class)
        .certificate();
  }

  // ---- plumbing ----

  @Override
  public String toString() {
    return "ServerApi["
        + exchange.base
        + (exchange.credentials() == null ? "" : ", " + exchange.credentials())
        + "]";
  }
}
