package org.sotto.protocol.sealed;

import java.security.SecureRandom;
import java.time.Duration;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.ecc.ECKeyPair;

/**
 * A certificate authority for tests: a trust root, one server key certified by it, and sender
 * certificates for any party. Not thread-safe (shares its random source).
 */
final class TestAuthority {
  /**
   * Certificates issued by {@link #issue(TestParty)} expire this long after {@link TestParty#NOW}.
   */
  static final Duration VALIDITY = Duration.ofDays(1);

  static final long NOW_MS = TestParty.NOW.toEpochMilli();
  static final long EXPIRATION_MS = TestParty.NOW.plus(VALIDITY).toEpochMilli();

  final ECKeyPair trustRoot;
  final ECKeyPair serverKey;
  final ServerCertificate serverCertificate;
  private final SecureRandom rng;

  TestAuthority(SecureRandom rng) {
    this(rng, 1);
  }

  TestAuthority(SecureRandom rng, int keyId) {
    this.rng = rng;
    this.trustRoot = ECKeyPair.generate(rng);
    this.serverKey = ECKeyPair.generate(rng);
    this.serverCertificate =
        ServerCertificate.create(keyId, serverKey.publicKey(), trustRoot.privateKey(), rng);
  }

  SenderCertificate issue(TestParty party) {
    return issue(party.address, party.identity.identityKey(), EXPIRATION_MS);
  }

  SenderCertificate issue(ProtocolAddress address, IdentityKey identityKey, long expirationMs) {
    try {
      return SenderCertificate.create(
          address.name(),
          address.deviceId(),
          identityKey,
          expirationMs,
          serverCertificate,
          serverKey.privateKey(),
          rng);
    } catch (InvalidKeyException e) {
      throw new AssertionError("the authority's own server key", e);
    }
  }
}
