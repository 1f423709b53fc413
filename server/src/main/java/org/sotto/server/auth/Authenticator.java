package org.sotto.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Route;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.DeviceRecord;
import org.sotto.server.store.DeviceStore;

/**
 * Authenticates callers. Devices use HTTP Basic with user {@code <accountId>.<deviceId>} and their
 * secret as the password, checked against the stored salted hash in constant time; sealed-sender
 * callers present an {@code Unidentified-Access-Key} header (checked by the route against the
 * recipient). Every failure is the same bare 401. A successful device authentication records the
 * account's last-seen <b>day</b>. Thread-safe.
 */
public final class Authenticator {
  /** The header a sealed-sender caller uses instead of credentials (base64 of 16 bytes). */
  public static final String UNIDENTIFIED_ACCESS_KEY = "Unidentified-Access-Key";

  /**
   * Longest Authorization header accepted: a UUID, a device id and a 128-character secret, base64.
   */
  static final int MAX_AUTHORIZATION_CHARS = 512;

  private final DeviceStore devices;
  private final AccountStore accounts;
  private final Clock clock;
  private final ConcurrentHashMap<AccountId, Long> seenDay = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Address, Credential> credentials = new ConcurrentHashMap<>();

  /**
   * Verified credentials are cached this long, saving a database read on every request. Removing a
   * device or deleting an account on this node drops its entries at once ({@link #forget}); the
   * expiry bounds how long a change made elsewhere (another node sharing the database) can go
   * unseen.
   */
  static final long CREDENTIAL_TTL_MS = 60_000;

  /** Cached credentials beyond this are all dropped (memory bound; they are re-read on demand). */
  static final int MAX_CACHED_CREDENTIALS = 200_000;

  /** A device's stored salt and secret hash, and when they were read. */
  private record Credential(byte[] salt, byte[] hash, long readMs) {}

  /** An authenticator over the stores; {@code clock} gives the last-seen day. */
  public Authenticator(DeviceStore devices, AccountStore accounts, Clock clock) {
    this.devices = devices;
    this.accounts = accounts;
    this.clock = clock;
  }

  /**
   * Authenticates {@code request} as {@code access} demands, or throws a 401 {@link ApiException}.
   */
  public Caller authenticate(Request request, Route.Access access) {
    return authenticate(request.getHeaders(), access);
  }

  /** Same, from bare headers (WebSocket upgrades). */
  public Caller authenticate(HttpFields headers, Route.Access access) {
    if (access == Route.Access.PUBLIC) {
      return new Caller.Anonymous();
    }
    String authorization = headers.get("Authorization");
    if (authorization != null) {
      return new Caller.Device(device(authorization).orElseThrow(ApiException::unauthorized));
    }
    if (access == Route.Access.DEVICE_OR_UNIDENTIFIED) {
      String key = headers.get(UNIDENTIFIED_ACCESS_KEY);
      if (key != null) {
        return new Caller.Unidentified(accessKey(key).orElseThrow(ApiException::unauthorized));
      }
    }
    throw ApiException.unauthorized();
  }

  /**
   * The device named and proven by a Basic {@code authorization} header, if the credentials are
   * right.
   */
  public Optional<Address> device(String authorization) {
    if (authorization.length() > MAX_AUTHORIZATION_CHARS || !authorization.startsWith("Basic ")) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    int dot = colon < 0 ? -1 : decoded.lastIndexOf('.', colon);
    if (colon < 0 || dot < 0) {
      return Optional.empty();
    }
    Address address;
    try {
      address =
          new Address(
              AccountId.parse(decoded.substring(0, dot)),
              DeviceId.parse(decoded.substring(dot + 1, colon)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String secret = decoded.substring(colon + 1);
    long now = clock.millis();
    Credential credential = credentials.get(address);
    if (credential == null || now - credential.readMs() > CREDENTIAL_TTL_MS) {
      Optional<DeviceRecord> device = devices.device(address);
      if (device.isEmpty()) {
        credentials.remove(address);
        // Same work as a real check, so timing does not tell which accounts exist.
        Secrets.matches(new byte[Secrets.SALT_BYTES], new byte[32], secret);
        return Optional.empty();
      }
      credential = new Credential(device.get().secretSalt(), device.get().secretHash(), now);
      if (credentials.size() >= MAX_CACHED_CREDENTIALS) {
        credentials.clear();
      }
      credentials.put(address, credential);
    }
    if (!Secrets.matches(credential.salt(), credential.hash(), secret)) {
      return Optional.empty();
    }
    seen(address.account());
    return Optional.of(address);
  }

  /** Forgets the cached credentials of a removed device. */
  public void forget(Address device) {
    credentials.remove(device);
  }

  private void seen(AccountId account) {
    long today = clock.millis() / 86_400_000L;
    // Read first: on almost every request the day is the one recorded, and a read does not write
    // to the shared map. Two requests may both see a new day and both touch: touching is
    // idempotent.
    Long recorded = seenDay.get(account);
    if (recorded != null && recorded == today) {
      return;
    }
    Long previous = seenDay.put(account, today);
    if (previous == null || previous != today) {
      accounts.touch(account, today);
    }
  }

  /**
   * Forgets everything cached about a deleted account (credentials of all its devices, last-seen
   * day).
   */
  public void forget(AccountId account) {
    seenDay.remove(account);
    credentials.keySet().removeIf(a -> a.account().equals(account));
  }

  private static Optional<byte[]> accessKey(String header) {
    try {
      byte[] key = Base64.getDecoder().decode(header.strip());
      return key.length == 16 ? Optional.of(key) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
