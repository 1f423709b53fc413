package org.sotto.server.accounts;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceInfo;
import org.sotto.api.dto.DeviceList;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.ProvisioningCode;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.server.auth.Secrets;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Call;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;
import org.sotto.server.keys.KeySignatures;
import org.sotto.server.limits.RateLimiter;
import org.sotto.server.limits.SharedBuckets;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.DeviceRecord;
import org.sotto.server.store.DeviceStore;
import org.sotto.server.store.NewDevice;

/** Listing, linking and removing devices. Thread-safe. */
public final class DeviceRoutes {
  /** At most 6 devices per account (a phone and five others), as the issue and Signal set it. */
  public static final int MAX_DEVICES = 6;

  /**
   * A linking code is valid for 10 minutes: enough to scan a QR code, too short to be worth
   * stealing.
   */
  public static final long CODE_TTL_MS = 10 * 60_000L;

  private final AccountStore accounts;
  private final DeviceStore devices;
  private final SecureRandom random;
  private final Clock clock;
  private final RateLimiter links;
  private final DeviceRemovedListener removed;

  /** Told when a device is removed, so its live connection can be closed. */
  @FunctionalInterface
  public interface DeviceRemovedListener {
    /** {@code device} no longer exists. */
    void removed(Address device);
  }

  /**
   * Routes over the stores. Link attempts per IP share the registration rate ({@code
   * linksPerHour}): linking creates a device as registration does, and a code has 128 random bits
   * anyway.
   */
  public DeviceRoutes(
      AccountStore accounts,
      DeviceStore devices,
      SecureRandom random,
      Clock clock,
      int linksPerHour,
      DeviceRemovedListener removed) {
    this(accounts, devices, random, clock, linksPerHour, removed, null);
  }

  /** Same, with rate-limit buckets shared by the nodes of a cluster (null: in memory). */
  public DeviceRoutes(
      AccountStore accounts,
      DeviceStore devices,
      SecureRandom random,
      Clock clock,
      int linksPerHour,
      DeviceRemovedListener removed,
      SharedBuckets buckets) {
    this.accounts = accounts;
    this.devices = devices;
    this.random = random;
    this.clock = clock;
    this.links = new RateLimiter("device-links", linksPerHour, linksPerHour / 60.0, clock, buckets);
    this.removed = removed;
  }

  /** The routes. */
  public List<Route> routes() {
    return List.of(
        Route.of(
            "GET",
            "/v1/devices",
            Access.DEVICE,
            DeviceList.class,
            "List the devices of the caller's account",
            call ->
                new DeviceList(
                    devices.devices(call.device().account()).stream()
                        .map(d -> new DeviceInfo(d.address().device().value(), d.name()))
                        .toList())),
        Route.of(
                "DELETE",
                "/v1/devices/{deviceId}",
                Access.DEVICE,
                Void.class,
                "Remove a device of the caller's account (not device 1)",
                this::remove)
            .errors(404),
        Route.of(
            "POST",
            "/v1/devices/provisioning/code",
            Access.DEVICE,
            ProvisioningCode.class,
            "Create a short-lived code that lets one new device join the caller's account",
            call -> {
              String code = Secrets.randomCode(random, 16);
              long expires = clock.millis() + CODE_TTL_MS;
              devices.addProvisioningCode(call.device().account(), Secrets.hashCode(code), expires);
              return new ProvisioningCode(code, expires);
            }),
        Route.withBody(
                "POST",
                "/v1/devices/link",
                Access.PUBLIC,
                LinkDeviceRequest.class,
                RegisterResponse.class,
                "Register a new device on an existing account with a provisioning code",
                this::link)
            .errors(403, 409, 429));
  }

  private Object remove(Call call) {
    DeviceId id;
    try {
      id = DeviceId.parse(call.param("deviceId"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_field", e.getMessage());
    }
    if (id.equals(DeviceId.PRIMARY)) {
      throw ApiException.badRequest(
          "primary_device", "device 1 cannot be removed; delete the account instead");
    }
    Address target = new Address(call.device().account(), id);
    if (!devices.remove(target)) {
      throw ApiException.notFound("not_found", "no such device");
    }
    removed.removed(target);
    return null;
  }

  private Object link(Call call) {
    links.acquire(call.remoteIp());
    LinkDeviceRequest req = call.body(LinkDeviceRequest.class);
    AccountRecord account =
        accounts
            .find(req.accountId())
            .orElseThrow(() -> ApiException.forbidden("code_invalid", "unknown or expired code"));
    ECPublicKey identity = KeySignatures.identityKey(account.identityKey());
    KeySignatures.verify(identity, req.keys().signedPreKey(), "keys.signedPreKey");
    KeySignatures.verify(
        identity, req.keys().lastResortKyberPreKey(), "keys.lastResortKyberPreKey");
    for (var k : req.keys().kyberPreKeys()) {
      KeySignatures.verify(identity, k, "keys.kyberPreKeys");
    }
    if (!devices.consumeProvisioningCode(
        req.accountId(), Secrets.hashCode(req.code()), clock.millis())) {
      throw ApiException.forbidden("code_invalid", "unknown or expired code");
    }
    byte[] salt = Secrets.salt(random);
    try {
      DeviceRecord d =
          devices.add(
              req.accountId(),
              new NewDevice(salt, Secrets.hash(salt, req.deviceSecret()), req.keys(), req.name()),
              MAX_DEVICES);
      return new RegisterResponse(req.accountId(), d.address().device().value());
    } catch (DeviceStore.TooManyDevicesException e) {
      throw ApiException.conflict(
          "too_many_devices", "the account already has " + MAX_DEVICES + " devices");
    }
  }
}
