package org.sotto.server.accounts;

import java.util.List;
import org.sotto.api.AccountId;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.api.dto.ProfileResponse;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;

/**
 * Encrypted profiles: the owner sets an opaque blob (name, avatar pointer; encrypted client-side
 * with the profile key, which the server never sees) and the unidentified-delivery token. Anyone
 * authenticated may read a blob; only holders of the profile key can open it. The token is never
 * returned. Thread-safe.
 */
public final class ProfileRoutes {
  private final AccountStore accounts;

  /** Routes over the store. */
  public ProfileRoutes(AccountStore accounts) {
    this.accounts = accounts;
  }

  /** The routes. */
  public List<Route> routes() {
    return List.of(
        Route.withBody(
            "PUT",
            "/v1/profile",
            Access.DEVICE,
            ProfileRequest.class,
            Void.class,
            "Set the caller's encrypted profile and unidentified-delivery token",
            call -> {
              ProfileRequest req = call.body(ProfileRequest.class);
              accounts.setProfile(call.device().account(), req.blob(), req.unidentifiedAccessKey());
              return null;
            }),
        Route.of(
                "GET",
                "/v1/profile/{accountId}",
                Access.DEVICE,
                ProfileResponse.class,
                "Get an account's identity key and encrypted profile",
                call -> {
                  AccountId id;
                  try {
                    id = AccountId.parse(call.param("accountId"));
                  } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("invalid_field", e.getMessage());
                  }
                  AccountRecord a =
                      accounts
                          .find(id)
                          .orElseThrow(() -> ApiException.notFound("not_found", "no such account"));
                  return new ProfileResponse(
                      a.identityKey(), accounts.profile(id).orElse(new byte[0]));
                })
            .errors(404));
  }
}
