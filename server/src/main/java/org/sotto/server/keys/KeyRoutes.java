package org.sotto.server.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceBundle;
import org.sotto.api.dto.KeyBundleResponse;
import org.sotto.api.dto.KeyUploadRequest;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKeyCount;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Call;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;
import org.sotto.server.limits.RateLimiter;
import org.sotto.server.limits.SharedBuckets;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.DeviceRecord;
import org.sotto.server.store.DeviceStore;
import org.sotto.server.store.KeyStore;

/** Prekey upload, counts and bundle fetches. Thread-safe. */
public final class KeyRoutes {
  /**
   * Bundle fetches per caller: each one burns a one-time prekey of the target, so a burst of 100
   * then 100 per minute stops one account from draining another's prekeys.
   */
  static final int FETCH_BURST = 100;

  static final double FETCH_PER_MINUTE = 100;

  private final AccountStore accounts;
  private final DeviceStore devices;
  private final KeyStore keys;
  private final RateLimiter fetches;

  /** Routes over the stores. */
  public KeyRoutes(
      AccountStore accounts, DeviceStore devices, KeyStore keys, java.time.Clock clock) {
    this(accounts, devices, keys, clock, null);
  }

  /** Same, with rate-limit buckets shared by the nodes of a cluster (null: in memory). */
  public KeyRoutes(
      AccountStore accounts,
      DeviceStore devices,
      KeyStore keys,
      java.time.Clock clock,
      SharedBuckets buckets) {
    this.accounts = accounts;
    this.devices = devices;
    this.keys = keys;
    this.fetches = new RateLimiter("prekey-fetches", FETCH_BURST, FETCH_PER_MINUTE, clock, buckets);
  }

  /** The routes. */
  public List<Route> routes() {
    return List.of(
        Route.withBody(
            "PUT",
            "/v1/keys",
            Access.DEVICE,
            KeyUploadRequest.class,
            Void.class,
            "Upload one-time prekeys and/or replace the signed and last-resort prekeys",
            this::upload),
        Route.of(
            "GET",
            "/v1/keys/count",
            Access.DEVICE,
            PreKeyCount.class,
            "How many one-time prekeys the server holds for the caller's device",
            call -> keys.count(call.device())),
        Route.of(
                "GET",
                "/v1/keys/{accountId}/{deviceId}",
                Access.DEVICE,
                KeyBundleResponse.class,
                "Fetch prekey bundles for one device or (deviceId '*') all devices, consuming one-time keys",
                this::bundle)
            .errors(404, 429));
  }

  private Object upload(Call call) {
    KeyUploadRequest req = call.body(KeyUploadRequest.class);
    Address device = call.device();
    AccountRecord account = accounts.find(device.account()).orElseThrow(ApiException::unauthorized);
    ECPublicKey identity = KeySignatures.identityKey(account.identityKey());
    KeySignatures.verify(identity, req.signedPreKey(), "signedPreKey");
    KeySignatures.verify(identity, req.lastResortKyberPreKey(), "lastResortKyberPreKey");
    for (KyberPreKey k : req.kyberPreKeys()) {
      KeySignatures.verify(identity, k, "kyberPreKeys");
    }
    keys.upload(
        device, req.preKeys(), req.kyberPreKeys(), req.signedPreKey(), req.lastResortKyberPreKey());
    return null;
  }

  private Object bundle(Call call) {
    // Before any lookup, so the limit also bounds probing which accounts and devices exist.
    fetches.acquire(call.device().account().toString());
    AccountId target;
    try {
      target = AccountId.parse(call.param("accountId"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_field", e.getMessage());
    }
    String which = call.param("deviceId");
    List<DeviceRecord> targets;
    if (which.equals("*")) {
      targets = devices.devices(target);
    } else {
      DeviceId id;
      try {
        id = DeviceId.parse(which);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("invalid_field", e.getMessage());
      }
      targets = devices.device(new Address(target, id)).map(List::of).orElse(List.of());
    }
    Optional<AccountRecord> account = accounts.find(target);
    if (targets.isEmpty() || account.isEmpty()) {
      throw ApiException.notFound("not_found", "no such account or device");
    }
    List<DeviceBundle> out = new ArrayList<>();
    for (DeviceRecord d : targets) {
      Optional<KeyStore.TakenKeys> taken = keys.take(d.address());
      if (taken.isEmpty()) {
        continue; // removed meanwhile
      }
      out.add(
          new DeviceBundle(
              d.address().device().value(),
              d.registrationId(),
              d.signedPreKey(),
              taken.get().preKey(),
              taken.get().kyberPreKey()));
    }
    if (out.isEmpty()) {
      throw ApiException.notFound("not_found", "no such account or device");
    }
    return new KeyBundleResponse(account.get().identityKey(), out);
  }
}
