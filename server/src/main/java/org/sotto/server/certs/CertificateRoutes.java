package org.sotto.server.certs;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.sotto.api.Address;
import org.sotto.api.dto.SenderCertificateResponse;
import org.sotto.api.dto.ServerConfigResponse;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.sealed.SenderCertificate;
import org.sotto.server.ServerConfig;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore;

/**
 * Public server settings ({@code GET /v1/config}, with the sealed-sender trust root) and sender
 * certificates for devices ({@code GET /v1/certificate/delivery}). Thread-safe.
 */
public final class CertificateRoutes {
  /**
   * Sender certificates expire after 24 hours: a stolen one is useless within a day, and a device
   * fetches a new one once a day at most.
   */
  public static final Duration SENDER_CERTIFICATE_LIFETIME = Duration.ofHours(24);

  /**
   * Largest envelope content accepted, published so clients can check before sending. The messages
   * package enforces the limit; until it is merged the value lives here, and then this constant
   * should refer to that one.
   */
  public static final int MAX_ENVELOPE_BYTES = 256 * 1024;

  private final ServerKeys keys;
  private final ServerConfig config;
  private final AccountStore accounts;
  private final SecureRandom random;
  private final Clock clock;

  /** Routes publishing {@code keys} and {@code config}'s public settings. */
  public CertificateRoutes(
      ServerKeys keys,
      ServerConfig config,
      AccountStore accounts,
      SecureRandom random,
      Clock clock) {
    this.keys = keys;
    this.config = config;
    this.accounts = accounts;
    this.random = random;
    this.clock = clock;
  }

  /** The routes. */
  public List<Route> routes() {
    return List.of(
        Route.of(
            "GET",
            "/v1/config",
            Access.PUBLIC,
            ServerConfigResponse.class,
            "Public settings: sealed-sender trust root, registration mode and limits",
            call -> serverConfig()),
        Route.of(
            "GET",
            "/v1/certificate/delivery",
            Access.DEVICE,
            SenderCertificateResponse.class,
            "A sealed-sender certificate for the calling device, valid for 24 hours",
            call -> new SenderCertificateResponse(issue(call.device()).serialize())));
  }

  /** The public settings. */
  public ServerConfigResponse serverConfig() {
    return new ServerConfigResponse(
        keys.trustRoot().serialize(),
        config.inviteOnly() ? "invite" : "open",
        config.powBits(),
        config.maxAttachmentBytes(),
        MAX_ENVELOPE_BYTES);
  }

  /** A sender certificate for {@code device} with its account's identity key. */
  SenderCertificate issue(Address device) {
    AccountRecord account = accounts.find(device.account()).orElseThrow(ApiException::unauthorized);
    try {
      return SenderCertificate.create(
          device.account().toString(),
          device.device().value(),
          IdentityKey.fromBytes(account.identityKey()),
          clock.millis() + SENDER_CERTIFICATE_LIFETIME.toMillis(),
          keys.certificate(),
          keys.signingKey(),
          random);
    } catch (InvalidKeyException e) {
      throw new AssertionError("stored identity keys and the loaded server key are valid", e);
    }
  }
}
