package org.sotto.client.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sotto.api.ApiChecks;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.KeyUploadRequest;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.PreKeyCount;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.util.KeyHelper;

/**
 * Generates this device's prekeys (private halves stay in the local store, public halves go to the
 * server) and keeps the server supplied. Not thread-safe: the client calls it under its own lock.
 */
final class PreKeys {
  /**
   * One-time prekeys (EC and Kyber each) generated per batch: one per session someone starts with
   * this device while it is offline. 100 is the server's largest upload and covers a day of new
   * contacts for a very active user; the last-resort Kyber key covers running out.
   */
  static final int BATCH = ApiChecks.MAX_PREKEYS_PER_UPLOAD;

  /**
   * Below this many one-time prekeys on the server, a new batch is uploaded: leaves room for
   * several contacts starting sessions before the device is online again.
   */
  static final int MIN_SERVER_COUNT = 10;

  /**
   * The signed prekey is replaced when older than this, limiting how long a stolen signed prekey
   * helps decrypt new sessions' first messages. The previous one is kept for messages in flight.
   */
  static final Duration SIGNED_PREKEY_MAX_AGE = Duration.ofDays(2);

  /** Signed prekeys kept locally: the current one and its predecessor (for messages in flight). */
  static final int SIGNED_PREKEYS_KEPT = 2;

  private static final String NEXT_PREKEY_ID = "next_prekey_id";
  private static final String NEXT_KYBER_ID = "next_kyber_id";
  private static final String NEXT_SIGNED_ID = "next_signed_id";

  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final Clock clock;
  private final SecureRandom rng;

  PreKeys(LocalStore store, SqliteProtocolStore protocol, Clock clock, SecureRandom rng) {
    this.store = store;
    this.protocol = protocol;
    this.clock = clock;
    this.rng = rng;
  }

  /** Everything a new device registers with: signed, last-resort and one batch of one-time keys. */
  DeviceKeys initialKeys() throws StorageException {
    return store.atomically(
        () -> {
          SignedPreKeyRecord signed = newSignedPreKey();
          IdentityKeyPair identity = protocol.getIdentityKeyPair();
          KyberPreKeyRecord lastResort =
              KeyHelper.generateKyberPreKey(identity, nextId(NEXT_KYBER_ID), true, now(), rng);
          protocol.storeKyberPreKey(lastResort.id(), lastResort);
          return new DeviceKeys(
              protocol.getLocalRegistrationId(),
              signedDto(signed),
              kyberDto(lastResort),
              newPreKeys(),
              newKyberPreKeys());
        });
  }

  /**
   * Uploads a new batch of one-time prekeys when the server holds fewer than {@link
   * #MIN_SERVER_COUNT}, and a new signed prekey when the current one is older than {@link
   * #SIGNED_PREKEY_MAX_AGE}. Returns whether anything was uploaded.
   */
  boolean maintain(ServerApi api)
      throws StorageException, TransportException, InterruptedException {
    PreKeyCount count = api.preKeyCount();
    boolean ec = count.ecCount() < MIN_SERVER_COUNT;
    boolean kyber = count.kyberCount() < MIN_SERVER_COUNT;
    boolean rotate = signedPreKeyDue();
    if (!ec && !kyber && !rotate) {
      return false;
    }
    KeyUploadRequest request =
        store.atomically(
            () ->
                new KeyUploadRequest(
                    ec ? newPreKeys() : List.of(),
                    kyber ? newKyberPreKeys() : List.of(),
                    rotate ? signedDto(newSignedPreKey()) : null,
                    null));
    api.uploadKeys(request);
    if (rotate) {
      pruneSignedPreKeys();
    }
    return true;
  }

  private boolean signedPreKeyDue() {
    return protocol.loadSignedPreKeys().stream()
        .mapToLong(SignedPreKeyRecord::timestampMs)
        .max()
        .stream()
        .noneMatch(t -> Instant.ofEpochMilli(t).plus(SIGNED_PREKEY_MAX_AGE).isAfter(now()));
  }

  private void pruneSignedPreKeys() {
    List<SignedPreKeyRecord> all = new ArrayList<>(protocol.loadSignedPreKeys());
    all.sort(Comparator.comparingLong(SignedPreKeyRecord::timestampMs).reversed());
    for (SignedPreKeyRecord r :
        all.subList(Math.min(SIGNED_PREKEYS_KEPT, all.size()), all.size())) {
      protocol.removeSignedPreKey(r.id());
    }
  }

  private SignedPreKeyRecord newSignedPreKey() throws StorageException {
    SignedPreKeyRecord signed =
        KeyHelper.generateSignedPreKey(
            protocol.getIdentityKeyPair(), nextId(NEXT_SIGNED_ID), now(), rng);
    protocol.storeSignedPreKey(signed.id(), signed);
    return signed;
  }

  private List<PreKey> newPreKeys() throws StorageException {
    List<PreKey> out = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      PreKeyRecord p = KeyHelper.generatePreKey(nextId(NEXT_PREKEY_ID), rng);
      protocol.storePreKey(p.id(), p);
      out.add(new PreKey(p.id(), p.keyPair().publicKey().serialize()));
    }
    return out;
  }

  private List<KyberPreKey> newKyberPreKeys() throws StorageException {
    IdentityKeyPair identity = protocol.getIdentityKeyPair();
    List<KyberPreKey> out = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      KyberPreKeyRecord k =
          KeyHelper.generateKyberPreKey(identity, nextId(NEXT_KYBER_ID), false, now(), rng);
      protocol.storeKyberPreKey(k.id(), k);
      out.add(kyberDto(k));
    }
    return out;
  }

  /** The next id of a kind (1 … MAX_PREKEY_ID, then around again), persisted at once. */
  private int nextId(String setting) throws StorageException {
    int id = store.setting(setting).map(b -> ByteBuffer.wrap(b).getInt()).orElse(1);
    int next = id >= ApiChecks.MAX_PREKEY_ID ? 1 : id + 1;
    store.putSetting(setting, ByteBuffer.allocate(Integer.BYTES).putInt(next).array());
    return id;
  }

  private Instant now() {
    return clock.instant();
  }

  private static SignedPreKey signedDto(SignedPreKeyRecord s) {
    return new SignedPreKey(s.id(), s.keyPair().publicKey().serialize(), s.signature());
  }

  private static KyberPreKey kyberDto(KyberPreKeyRecord k) {
    return new KyberPreKey(k.id(), k.keyPair().publicKey().serialize(), k.signature());
  }
}
