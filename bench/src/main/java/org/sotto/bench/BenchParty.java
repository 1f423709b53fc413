package org.sotto.bench;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.SessionBuilder;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kem.KEMPublicKey;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyBundle;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;
import org.sotto.protocol.util.KeyHelper;

/**
 * One device in the benchmark, the counterpart of {@code Party} in {@code bench.mjs}: an identity
 * key pair, a registration id, an address (random UUID, device 1) and an in-memory store that keeps
 * prekey and session records serialized (parsed on every load, serialized on every store). Not
 * thread-safe.
 */
final class BenchParty {
  /** The id of the single prekey of each kind that {@link #makeBundle} publishes. */
  private static final int KEY_ID = 1;

  private final SecureRandom rng;
  private final ProtocolAddress address;
  private final IdentityKeyPair identity;
  private final InMemorySignalProtocolStore store;

  BenchParty(SecureRandom rng) {
    this.rng = rng;
    this.address = new ProtocolAddress(UUID.randomUUID().toString(), 1);
    this.identity = IdentityKeyPair.generate(rng);
    this.store = new InMemorySignalProtocolStore(identity, KeyHelper.generateRegistrationId(rng));
  }

  /**
   * Generates and stores one one-time prekey, one signed prekey and one Kyber prekey, and returns
   * the bundle in serialized form.
   */
  SerializedBundle makeBundle(Instant now) {
    PreKeyRecord preKey = KeyHelper.generatePreKey(KEY_ID, rng);
    SignedPreKeyRecord signed = KeyHelper.generateSignedPreKey(identity, KEY_ID, now, rng);
    KyberPreKeyRecord kyber = KeyHelper.generateKyberPreKey(identity, KEY_ID, false, now, rng);
    store.storePreKey(KEY_ID, preKey);
    store.storeSignedPreKey(KEY_ID, signed);
    store.storeKyberPreKey(KEY_ID, kyber);
    return new SerializedBundle(
        store.getLocalRegistrationId(),
        address.deviceId(),
        KEY_ID,
        preKey.keyPair().publicKey().serialize(),
        KEY_ID,
        signed.keyPair().publicKey().serialize(),
        signed.signature(),
        identity.identityKey().serialize(),
        KEY_ID,
        kyber.keyPair().publicKey().serialize(),
        kyber.signature());
  }

  /**
   * Parses {@code peer}'s bundle and starts a session with it, as after fetching the bundle from a
   * server.
   */
  void processBundle(BenchParty peer, SerializedBundle b, Instant now) throws Exception {
    PreKeyBundle bundle =
        new PreKeyBundle(
            b.registrationId(),
            b.deviceId(),
            b.preKeyId(),
            ECPublicKey.fromBytes(b.preKey()),
            b.signedPreKeyId(),
            ECPublicKey.fromBytes(b.signedPreKey()),
            b.signedPreKeySignature(),
            b.kyberPreKeyId(),
            KEMPublicKey.fromBytes(b.kyberPreKey()),
            b.kyberPreKeySignature(),
            IdentityKey.fromBytes(b.identityKey()));
    new SessionBuilder(store, peer.address).process(bundle, now, rng);
  }

  /** Encrypts {@code plaintext} for {@code peer}; returns it as it would go on the wire. */
  WireMessage encrypt(BenchParty peer, byte[] plaintext, Instant now) throws Exception {
    CiphertextMessage message =
        new SessionCipher(store, address, peer.address).encrypt(plaintext, now, rng);
    return new WireMessage(message.type(), message.serialize());
  }

  /** Parses and decrypts a message from {@code peer}. */
  byte[] decrypt(BenchParty peer, WireMessage message, Instant now) throws Exception {
    SessionCipher cipher = new SessionCipher(store, address, peer.address);
    return message.type() == CiphertextMessage.PREKEY_TYPE
        ? cipher.decrypt(PreKeySignalMessage.fromBytes(message.bytes()), now, rng)
        : cipher.decrypt(SignalMessage.fromBytes(message.bytes()), now, rng);
  }

  /** The size of our serialized session record with {@code peer}, 0 if there is none. */
  int sessionRecordBytes(BenchParty peer) {
    SessionRecord record = store.loadSession(peer.address);
    return record == null ? 0 : record.serialize().length;
  }
}
