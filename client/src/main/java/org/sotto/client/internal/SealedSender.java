package org.sotto.client.internal;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.sotto.api.dto.ServerConfigResponse;
import org.sotto.client.SottoException;
import org.sotto.client.storage.CorruptStoreException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.sealed.SealedSessionCipher;
import org.sotto.protocol.sealed.SenderCertificate;
import org.sotto.protocol.sealed.StaticAgreements;

/**
 * What sealed sending and receiving need besides the sessions: the server's sealed-sender trust
 * root, pinned in the store on first use (from {@code GET /v1/config}, at registration when it
 * can), and this device's sender certificate, fetched from the server and reused until {@link
 * #CERTIFICATE_REFRESH_MARGIN} before it expires. A certificate the server hands out is checked
 * against the pinned root and our identity key before use. Not thread-safe: the client calls it
 * under its own lock.
 */
final class SealedSender {
  /**
   * A cached certificate is replaced this long before it expires: the recipient checks expiry when
   * it receives, which may be after the message waited in the queue or the clocks disagree, so a
   * certificate near its end would make messages undeliverable. With the server's 24-hour lifetime
   * this is one fetch per 23 hours.
   */
  static final Duration CERTIFICATE_REFRESH_MARGIN = Duration.ofHours(1);

  /** Setting holding the pinned trust root (serialized public key). */
  static final String TRUST_ROOT_SETTING = "sealed_sender_trust_root";

  /** Setting caching this device's sender certificate (public data; saves a fetch per start). */
  static final String CERTIFICATE_SETTING = "sender_certificate";

  private static final System.Logger log = System.getLogger(SealedSender.class.getName());

  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final ServerApi api;
  private final ProtocolAddress local;
  private final Clock clock;
  // The static layer's agreements with contacts, kept for this client's life.
  private final StaticAgreements agreements = new StaticAgreements();

  // Cached; guarded by the client lock.
  private SenderCertificate certificate;

  SealedSender(
      LocalStore store,
      SqliteProtocolStore protocol,
      ServerApi api,
      ProtocolAddress local,
      Clock clock) {
    this.store = store;
    this.protocol = protocol;
    this.api = api;
    this.local = local;
    this.clock = clock;
  }

  /**
   * A sealed-sender cipher for this device that keeps each contact's static agreement (one scalar
   * multiplication saved per sealed message sent or received).
   */
  SealedSessionCipher cipher() {
    return new SealedSessionCipher(protocol, local, agreements);
  }

  /** Wipes the kept agreements (the client is closing). */
  void close() {
    agreements.close();
  }

  /** The pinned trust root, if one was pinned. */
  Optional<ECPublicKey> pinnedTrustRoot() throws StorageException {
    Optional<byte[]> b = store.setting(TRUST_ROOT_SETTING);
    if (b.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ECPublicKey.fromBytes(b.get()));
    } catch (InvalidKeyException e) {
      throw new CorruptStoreException("the pinned trust root does not parse");
    }
  }

  /** The pinned trust root; on first use it is fetched from the server and pinned. */
  ECPublicKey trustRoot()
      throws StorageException, TransportException, InterruptedException, SottoException {
    Optional<ECPublicKey> pinned = pinnedTrustRoot();
    if (pinned.isPresent()) {
      return pinned.get();
    }
    ServerConfigResponse config = api.config();
    ECPublicKey root;
    try {
      root = ECPublicKey.fromBytes(config.trustRoot());
    } catch (InvalidKeyException | NullPointerException e) {
      throw new SottoException("the server's sealed-sender trust root is not a valid key");
    }
    store.putSetting(TRUST_ROOT_SETTING, root.serialize());
    return root;
  }

  /** Pins the trust root now if it is not pinned yet; failures are logged (retried on use). */
  void pinQuietly() throws InterruptedException {
    try {
      trustRoot();
    } catch (StorageException | TransportException | SottoException e) {
      log.log(
          System.Logger.Level.WARNING,
          "could not learn the sealed-sender trust root: {0}",
          e.getClass().getSimpleName());
    }
  }

  /**
   * This device's sender certificate: the cached one while it is valid for more than {@link
   * #CERTIFICATE_REFRESH_MARGIN}, else a new one from the server.
   *
   * @throws SottoException the server's certificate is not for us or not signed by the pinned root
   */
  SenderCertificate certificate()
      throws StorageException, TransportException, InterruptedException, SottoException {
    long freshUntil = clock.millis() + CERTIFICATE_REFRESH_MARGIN.toMillis();
    if (certificate == null) {
      Optional<byte[]> cached = store.setting(CERTIFICATE_SETTING);
      if (cached.isPresent()) {
        try {
          certificate = checked(SenderCertificate.fromBytes(cached.get()));
        } catch (InvalidCertificateException | SottoException e) {
          certificate = null; // Fetched again below.
        }
      }
    }
    if (certificate != null && Long.compareUnsigned(certificate.expiration(), freshUntil) > 0) {
      return certificate;
    }
    byte[] fetched = api.senderCertificate();
    SenderCertificate c;
    try {
      c = checked(SenderCertificate.fromBytes(fetched));
    } catch (InvalidCertificateException e) {
      throw new SottoException("the server sent an invalid sender certificate");
    }
    store.putSetting(CERTIFICATE_SETTING, c.serialize());
    certificate = c;
    return c;
  }

  private SenderCertificate checked(SenderCertificate c)
      throws InvalidCertificateException,
          StorageException,
          TransportException,
          InterruptedException,
          SottoException {
    c.validate(trustRoot(), clock.millis());
    if (!c.senderAddress().equals(local)
        || !MessageDigest.isEqual(
            c.identityKey().serialize(), protocol.getIdentityKeyPair().identityKey().serialize())) {
      throw new SottoException("the server's sender certificate is not for this device");
    }
    return c;
  }
}
