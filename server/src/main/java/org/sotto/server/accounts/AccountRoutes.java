package org.sotto.server.accounts;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.sotto.api.AccountId;
import org.sotto.api.ApiChecks;
import org.sotto.api.dto.AccountInfo;
import org.sotto.api.dto.HandleLookupResponse;
import org.sotto.api.dto.HandleRequest;
import org.sotto.api.dto.PowChallenge;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.server.auth.Authenticator;
import org.sotto.server.auth.ProofOfWork;
import org.sotto.server.auth.Secrets;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;
import org.sotto.server.keys.KeySignatures;
import org.sotto.server.limits.RateLimiter;
import org.sotto.server.limits.SharedBuckets;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.InviteStore;
import org.sotto.server.store.NewDevice;

/** Registration, the caller's own account, handles. Thread-safe. */
public final class AccountRoutes {
  /**
   * Handle lookups per caller: 60 at once, then 30 per minute; stops enumeration of the handle
   * space.
   */
  static final int LOOKUPS_BURST = 60;

  static final double LOOKUPS_PER_MINUTE = 30;

  private final AccountStore accounts;
  private final InviteStore invites;
  private final ProofOfWork pow;
  private final boolean inviteOnly;
  private final Authenticator authenticator;
  private final SecureRandom random;
  private final Clock clock;
  private final RateLimiter registrations;
  private final RateLimiter lookups;
  private final Consumer<AccountId> deleted;

  /** Routes over the stores. */
  public AccountRoutes(
      AccountStore accounts,
      InviteStore invites,
      ProofOfWork pow,
      boolean inviteOnly,
      int registrationsPerHour,
      Authenticator authenticator,
      SecureRandom random,
      Clock clock) {
    this(
        accounts,
        invites,
        pow,
        inviteOnly,
        registrationsPerHour,
        authenticator,
        random,
        clock,
        id -> {});
  }

  /** Routes over the stores; {@code deleted} is told after an account is deleted. */
  public AccountRoutes(
      AccountStore accounts,
      InviteStore invites,
      ProofOfWork pow,
      boolean inviteOnly,
      int registrationsPerHour,
      Authenticator authenticator,
      SecureRandom random,
      Clock clock,
      Consumer<AccountId> deleted) {
    this(
        accounts,
        invites,
        pow,
        inviteOnly,
        registrationsPerHour,
        authenticator,
        random,
        clock,
        deleted,
        null);
  }

  /**
   * Same, with rate-limit buckets shared by the nodes of a cluster ({@code buckets}; null: in
   * memory).
   */
  public AccountRoutes(
      AccountStore accounts,
      InviteStore invites,
      ProofOfWork pow,
      boolean inviteOnly,
      int registrationsPerHour,
      Authenticator authenticator,
      SecureRandom random,
      Clock clock,
      Consumer<AccountId> deleted,
      SharedBuckets buckets) {
    this.deleted = deleted;
    this.accounts = accounts;
    this.invites = invites;
    this.pow = pow;
    this.inviteOnly = inviteOnly;
    this.authenticator = authenticator;
    this.random = random;
    this.clock = clock;
    this.registrations =
        new RateLimiter(
            "registrations", registrationsPerHour, registrationsPerHour / 60.0, clock, buckets);
    this.lookups =
        new RateLimiter("handle-lookups", LOOKUPS_BURST, LOOKUPS_PER_MINUTE, clock, buckets);
  }

  /** The routes. */
  public List<Route> routes() {
    return List.of(
        Route.of(
                "POST",
                "/v1/registration/challenge",
                Access.PUBLIC,
                PowChallenge.class,
                "Get a proof-of-work challenge to solve before registering",
                call -> pow.challenge())
            .errors(429),
        Route.withBody(
                "POST",
                "/v1/accounts",
                Access.PUBLIC,
                RegisterRequest.class,
                RegisterResponse.class,
                "Register an account with its first device",
                call -> {
                  registrations.acquire(call.remoteIp());
                  return register(call.body(RegisterRequest.class));
                })
            .errors(403, 409, 429),
        Route.of(
            "GET",
            "/v1/accounts/me",
            Access.DEVICE,
            AccountInfo.class,
            "The caller's account id, device id and handle",
            call -> {
              AccountRecord a =
                  accounts.find(call.device().account()).orElseThrow(ApiException::unauthorized);
              return new AccountInfo(a.id(), call.device().device().value(), a.handle());
            }),
        Route.of(
            "DELETE",
            "/v1/accounts/me",
            Access.DEVICE,
            Void.class,
            "Delete the caller's account and all its data, immediately",
            call -> {
              accounts.delete(call.device().account());
              authenticator.forget(call.device().account());
              deleted.accept(call.device().account());
              return null;
            }),
        Route.withBody(
                "PUT",
                "/v1/accounts/me/handle",
                Access.DEVICE,
                HandleRequest.class,
                Void.class,
                "Set or change the caller's public handle",
                call -> {
                  HandleRequest req = call.body(HandleRequest.class);
                  try {
                    accounts.setHandle(call.device().account(), req.handle());
                  } catch (AccountStore.HandleTakenException e) {
                    throw ApiException.conflict("handle_taken", "that handle is taken");
                  }
                  return null;
                })
            .errors(409),
        Route.of(
            "DELETE",
            "/v1/accounts/me/handle",
            Access.DEVICE,
            Void.class,
            "Remove the caller's public handle",
            call -> {
              accounts.clearHandle(call.device().account());
              return null;
            }),
        Route.of(
                "GET",
                "/v1/accounts/handle/{handle}",
                Access.DEVICE,
                HandleLookupResponse.class,
                "Look up the account that owns a handle",
                call -> {
                  lookups.acquire(call.device().account().toString());
                  String handle;
                  try {
                    handle = ApiChecks.handle(call.param("handle"), "handle");
                  } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("invalid_field", e.getMessage());
                  }
                  AccountId id =
                      accounts
                          .findByHandle(handle)
                          .orElseThrow(() -> ApiException.notFound("not_found", "no such handle"));
                  return new HandleLookupResponse(id);
                })
            .errors(404, 429));
  }

  private RegisterResponse register(RegisterRequest req) {
    ECPublicKey identity = KeySignatures.identityKey(req.identityKey());
    KeySignatures.verify(identity, req.keys().signedPreKey(), "keys.signedPreKey");
    KeySignatures.verify(
        identity, req.keys().lastResortKyberPreKey(), "keys.lastResortKyberPreKey");
    for (var k : req.keys().kyberPreKeys()) {
      KeySignatures.verify(identity, k, "keys.kyberPreKeys");
    }
    if (inviteOnly) {
      if (req.inviteCode() == null) {
        throw ApiException.forbidden("invite_required", "this server registers by invite only");
      }
    } else {
      pow.verify(req.proofOfWork());
    }
    if (inviteOnly && !invites.consume(Secrets.hashCode(req.inviteCode()))) {
      throw ApiException.forbidden("invite_invalid", "unknown or used invite code");
    }
    long today = clock.millis() / 86_400_000L;
    AccountId id = AccountId.random();
    byte[] salt = Secrets.salt(random);
    try {
      accounts.create(
          new AccountRecord(id, req.handle(), req.identityKey(), today, today),
          new NewDevice(salt, Secrets.hash(salt, req.deviceSecret()), req.keys()));
    } catch (AccountStore.HandleTakenException e) {
      throw ApiException.conflict("handle_taken", "that handle is taken");
    }
    return new RegisterResponse(id, 1);
  }
}
