package org.sotto.server.messages;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.MismatchedDevices;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.dto.SendMessagesResponse;
import org.sotto.api.dto.StaleDevices;
import org.sotto.api.proto.Envelope;
import org.sotto.server.accounts.DeviceRoutes;
import org.sotto.server.auth.Caller;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Call;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;
import org.sotto.server.metrics.ServerMetrics;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.DeviceRecord;
import org.sotto.server.store.DeviceStore;
import org.sotto.server.store.MessageStore;
import org.sotto.server.store.QueuedEnvelope;
import org.sotto.server.store.StoreException;
import org.sotto.server.store.sqlite.SqliteDatabase;

/**
 * {@code PUT /v1/messages/{accountId}}: one send to every device of a recipient. The device list is
 * checked as Signal does (missing/extra devices → 409, stale registration ids → 410); sealed-sender
 * callers prove the recipient's unidentified-access key instead of credentials, and their envelopes
 * carry no sender. The 200 is written only after the durable commit; then live connections are
 * told. Thread-safe.
 */
public final class MessageRoutes {
  /**
   * Largest ciphertext per envelope: 256 KiB fits any text, key material or group control message
   * with room to spare (attachments travel separately), and bounds what one send can make the
   * server store and push.
   */
  public static final int MAX_CONTENT_BYTES = 256 * 1024;

  /**
   * Request body cap: one full-size envelope for each of the {@value DeviceRoutes#MAX_DEVICES}
   * devices, base64 (4/3), plus 64 KiB for JSON framing.
   */
  static final int MAX_BODY_BYTES = DeviceRoutes.MAX_DEVICES * MAX_CONTENT_BYTES / 3 * 4 + 65_536;

  /** Bytes of a server-assigned envelope id (the guid a device acks). */
  static final int GUID_BYTES = 16;

  private final AccountStore accounts;
  private final DeviceStore devices;
  private final MessageStore messages;
  private final MessageBus bus;
  private final ServerMetrics metrics;
  private final MessageLimits limits;
  private final SecureRandom random;
  private final Clock clock;

  /** Routes over the stores; {@code bus} is told of every committed send. */
  public MessageRoutes(
      AccountStore accounts,
      DeviceStore devices,
      MessageStore messages,
      MessageBus bus,
      ServerMetrics metrics,
      MessageLimits limits,
      SecureRandom random,
      Clock clock) {
    this.accounts = accounts;
    this.devices = devices;
    this.messages = messages;
    this.bus = bus;
    this.metrics = metrics;
    this.limits = limits;
    this.random = random;
    this.clock = clock;
  }

  /** The routes (the WebSocket path is listed so that it appears in the OpenAPI document). */
  public List<Route> routes() {
    return List.of(
        Route.withBody(
                "PUT",
                "/v1/messages/{accountId}",
                Access.DEVICE_OR_UNIDENTIFIED,
                SendMessagesRequest.class,
                SendMessagesResponse.class,
                "Send one envelope to every device of an account (sealed sender: "
                    + "Unidentified-Access-Key instead of credentials)",
                this::send)
            .errors(401, 404, 409, 410, 413)
            .errorBody(409, MismatchedDevices.class)
            .errorBody(410, StaleDevices.class)
            .maxBody(MAX_BODY_BYTES),
        Route.of(
                "GET",
                DeliveryEndpoints.DELIVERY_PATH,
                Access.DEVICE,
                Void.class,
                "Delivery WebSocket (upgrade only): queued envelopes, QueueEmpty, live envelopes; "
                    + "the device acks by guid",
                call -> {
                  throw upgradeRequired();
                })
            .errors(401, 426),
        Route.of(
                "GET",
                DeliveryEndpoints.SEND_PATH,
                Access.DEVICE,
                Void.class,
                "Send WebSocket (upgrade only): SendRequest frames, each answered by a "
                    + "SendResponse with its id, as PUT /v1/messages/{accountId} would answer it",
                call -> {
                  throw upgradeRequired();
                })
            .errors(401, 426));
  }

  static ApiException upgradeRequired() {
    return new ApiException(426, "upgrade_required", "this endpoint is a WebSocket");
  }

  private Object send(Call call) {
    AccountId recipient;
    try {
      recipient = AccountId.parse(call.param("accountId"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_field", "accountId: not an account id");
    }
    Caller caller = call.caller();
    checkAccess(recipient, caller);
    return send(recipient, caller, call.body(SendMessagesRequest.class));
  }

  /** A sealed-sender caller must prove the recipient's unidentified-access key. */
  private void checkAccess(AccountId recipient, Caller caller) {
    if (caller instanceof Caller.Unidentified u) {
      // Unknown account and wrong key look the same: no existence oracle for anonymous callers.
      byte[] expected = accounts.unidentifiedAccessKey(recipient).orElse(null);
      if (expected == null || !MessageDigest.isEqual(expected, u.accessKey())) {
        throw ApiException.unauthorized();
      }
    }
  }

  /**
   * The send itself, after the caller's access was checked: validates the device list, stores one
   * envelope per device durably, then tells live connections. Used by the HTTP route and by the
   * send socket ({@link SocketSends}).
   *
   * @throws ApiException 404, 409, 410 or 413 as the route answers them
   * @throws StoreException the store failed; nothing was stored
   */
  SendMessagesResponse send(AccountId recipient, Caller caller, SendMessagesRequest req) {
    checkMessages(req, caller);
    Address sender = caller instanceof Caller.Device d ? d.address() : null;
    try {
      checkDevices(req, existing(devices.recentDevices(recipient), caller), sender);
    } catch (ApiException stale) {
      // The list may be a moment old: answer 409/410 only from what the database holds now.
      checkDevices(req, existing(devices.devices(recipient), caller), sender);
    }

    long now = clock.millis();
    List<MessageStore.Outgoing> outgoing = new ArrayList<>(req.messages().size());
    for (OutgoingMessage m : req.messages()) {
      byte[] guid = new byte[GUID_BYTES];
      random.nextBytes(guid);
      Envelope.Builder e =
          Envelope.newBuilder()
              .setGuid(ByteString.copyFrom(guid))
              .setTypeValue(m.type())
              .setDestinationDevice(m.destinationDeviceId())
              .setClientTimestamp(req.timestamp())
              .setServerTimestamp(now)
              .setContent(ByteString.copyFrom(m.content()));
      if (sender != null) {
        e.setSourceAccount(sender.account().toString()).setSourceDevice(sender.device().value());
      }
      outgoing.add(
          new MessageStore.Outgoing(
              new Address(recipient, new DeviceId(m.destinationDeviceId())), e.build()));
    }
    List<QueuedEnvelope> stored;
    try {
      stored = SqliteDatabase.join(messages.insert(outgoing, limits.maxQueue()));
    } catch (StoreException e) {
      // A device removed between the check and the commit fails the insert (its row is gone):
      // report the new device list rather than a storage error.
      checkDevices(req, existing(devices.devices(recipient), caller), sender);
      throw e;
    }
    for (OutgoingMessage m : req.messages()) {
      metrics.accepted(1, m.content().length);
    }
    for (QueuedEnvelope q : stored) {
      bus.mail(q.destination());
    }
    return new SendMessagesResponse(stored.size());
  }

  /**
   * {@code current}, unless it is empty: every account has at least device 1, so no devices means
   * no account (one read instead of two).
   */
  private static List<DeviceRecord> existing(List<DeviceRecord> current, Caller caller) {
    if (current.isEmpty()) {
      throw caller instanceof Caller.Device
          ? ApiException.notFound("not_found", "no such account")
          : ApiException.unauthorized();
    }
    return current;
  }

  private static void checkMessages(SendMessagesRequest req, Caller caller) {
    Set<Integer> seen = new java.util.HashSet<>();
    for (OutgoingMessage m : req.messages()) {
      if (m.content().length > MAX_CONTENT_BYTES) {
        throw new ApiException(
            413, "too_large", "an envelope is larger than " + MAX_CONTENT_BYTES + " bytes");
      }
      if (!seen.add(m.destinationDeviceId())) {
        throw ApiException.badRequest(
            "invalid_field", "messages: destinationDeviceId listed twice");
      }
      if (caller instanceof Caller.Unidentified
          && m.type() != Envelope.Type.UNIDENTIFIED_SENDER_VALUE) {
        throw ApiException.badRequest(
            "invalid_field", "messages.type: sealed-sender sends must use type 6");
      }
    }
  }

  /**
   * The listed devices must be exactly the recipient's (less the sending device on its own
   * account), with their current registration ids.
   */
  private static void checkDevices(
      SendMessagesRequest req, List<DeviceRecord> current, Address sender) {
    Map<Integer, Integer> expected = new HashMap<>();
    for (DeviceRecord d : current) {
      if (!d.address().equals(sender)) {
        expected.put(d.address().device().value(), d.registrationId());
      }
    }
    Set<Integer> given = new LinkedHashSet<>();
    for (OutgoingMessage m : req.messages()) {
      given.add(m.destinationDeviceId());
    }
    TreeSet<Integer> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(given);
    TreeSet<Integer> extra = new TreeSet<>(given);
    extra.removeAll(expected.keySet());
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new ApiException(
          409,
          "mismatched_devices",
          "the send does not list exactly the recipient's devices",
          new MismatchedDevices(List.copyOf(missing), List.copyOf(extra)),
          Map.of());
    }
    TreeSet<Integer> stale = new TreeSet<>();
    for (OutgoingMessage m : req.messages()) {
      if (expected.get(m.destinationDeviceId()) != m.destinationRegistrationId()) {
        stale.add(m.destinationDeviceId());
      }
    }
    if (!stale.isEmpty()) {
      throw new ApiException(
          410,
          "stale_devices",
          "some devices have re-registered",
          new StaleDevices(List.copyOf(stale)),
          Map.of());
    }
  }
}
