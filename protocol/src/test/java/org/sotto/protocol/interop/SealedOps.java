package org.sotto.protocol.interop;

import static org.sotto.protocol.interop.SessionOps.b64;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.UntrustedIdentityException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.sealed.SealedDecryptionResult;
import org.sotto.protocol.sealed.SealedSessionCipher;
import org.sotto.protocol.sealed.SenderCertificate;
import org.sotto.protocol.sealed.ServerCertificate;

/**
 * The sealed sender v1 ops (interop-peer.md): {@code sealed_make_cert} issues a certificate for an
 * identity as a server would (trust root given or new, new server key, key id 1), {@code
 * sealed_encrypt} encrypts with the 1:1 session and seals, {@code sealed_decrypt} opens, validates
 * at {@code timestamp} and decrypts. Like the libsignal peer, a certificate that does not parse is
 * a bad argument to {@code sealed_encrypt} (so is one for another identity, which libsignal does
 * not check); everything wrong with a received message (certificate included) is an {@code
 * invalid_message}. State is only written by the protocol core (copy-then-commit). Not thread-safe.
 */
final class SealedOps {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Validity of a certificate without {@code expiration}: 24 hours, as the libsignal peer. */
  private static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);

  /** Key id of the server certificate {@code sealed_make_cert} makes (the libsignal peer's too). */
  private static final int SERVER_KEY_ID = 1;

  /**
   * Largest {@code expiration} or {@code timestamp} accepted: 2^53 − 1, the largest integer JSON
   * numbers carry exactly in JavaScript, and so the libsignal peer's limit.
   */
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  /** Finds the identity a request names in {@code who}. */
  @FunctionalInterface
  interface IdentityLookup {
    PeerIdentity identity(Request req) throws PeerError;
  }

  private final SecureRandom rng;
  private final Clock clock;
  private final IdentityLookup identities;

  SealedOps(SecureRandom rng, Clock clock, IdentityLookup identities) {
    this.rng = rng;
    this.clock = clock;
    this.identities = identities;
  }

  ObjectNode makeCert(Request req) throws PeerError, InvalidKeyException {
    PeerIdentity id = identities.identity(req);
    byte[] given = req.optionalBytes("trustRootPrivate");
    ECKeyPair trustRoot;
    if (given == null) {
      trustRoot = ECKeyPair.generate(rng);
    } else {
      ECPrivateKey root = ECPrivateKey.fromBytes(given);
      trustRoot = new ECKeyPair(root.publicKey(), root);
    }
    long expiration =
        req.longInteger(
            "expiration",
            clock.instant().plus(DEFAULT_VALIDITY).toEpochMilli(),
            0,
            MAX_SAFE_INTEGER);
    ECKeyPair serverKey = ECKeyPair.generate(rng);
    ServerCertificate server =
        ServerCertificate.create(SERVER_KEY_ID, serverKey.publicKey(), trustRoot.privateKey(), rng);
    ProtocolAddress address = id.address();
    SenderCertificate cert =
        SenderCertificate.create(
            address.name(),
            address.deviceId(),
            id.identityKeyPair().identityKey(),
            expiration,
            server,
            serverKey.privateKey(),
            rng);
    return JSON.objectNode()
        .put("trustRootPublic", b64(trustRoot.publicKey().serialize()))
        .put("trustRootPrivate", b64(trustRoot.privateKey().serialize()))
        .put("senderCertificate", b64(cert.serialize()))
        .put("expiration", expiration);
  }

  ObjectNode encrypt(Request req)
      throws PeerError, NoSessionException, UntrustedIdentityException, InvalidKeyException {
    PeerIdentity id = identities.identity(req);
    ProtocolAddress peer = req.address("peer");
    byte[] plaintext = req.plaintext();
    SenderCertificate cert;
    try {
      cert = SenderCertificate.fromBytes(req.bytes("senderCertificate"));
    } catch (InvalidCertificateException e) {
      throw PeerError.invalidArgument("field senderCertificate: " + e.getMessage());
    }
    byte[] sealed;
    try {
      sealed =
          new SealedSessionCipher(id.store(), id.address())
              .encrypt(peer, cert, plaintext, clock.instant(), rng);
    } catch (InvalidCertificateException e) {
      throw PeerError.invalidArgument("field senderCertificate: " + e.getMessage());
    }
    return JSON.objectNode().put("ciphertext", b64(sealed));
  }

  ObjectNode decrypt(Request req)
      throws PeerError,
          InvalidMessageException,
          InvalidCertificateException,
          DuplicateMessageException,
          InvalidKeyException,
          NoSessionException,
          UntrustedIdentityException {
    PeerIdentity id = identities.identity(req);
    byte[] sealed = req.bytes("ciphertext");
    ECPublicKey trustRoot = ECPublicKey.fromBytes(req.bytes("trustRoot"));
    long timestamp =
        req.longInteger("timestamp", clock.instant().toEpochMilli(), 0, MAX_SAFE_INTEGER);
    SealedDecryptionResult result =
        new SealedSessionCipher(id.store(), id.address())
            .decrypt(sealed, trustRoot, Instant.ofEpochMilli(timestamp), rng);
    return SessionOps.plaintextReply(result.plaintext())
        .put("senderUuid", result.senderUuid())
        .put("senderDeviceId", result.senderDeviceId());
  }
}
