package org.sotto.protocol;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyBundle;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;
import org.sotto.protocol.util.KeyHelper;

/**
 * One device in a test: identity, in-memory store and helpers to publish bundles and exchange
 * messages.
 */
public final class TestParty {
  public static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  public final ProtocolAddress address;
  public final IdentityKeyPair identity;
  public final InMemorySignalProtocolStore store;
  private final SecureRandom rng;
  private int nextKeyId = 1;

  public TestParty(SecureRandom rng) {
    this(rng, new ProtocolAddress(UUID.randomUUID().toString(), 1), IdentityKeyPair.generate(rng));
  }

  public TestParty(SecureRandom rng, ProtocolAddress address, IdentityKeyPair identity) {
    this.rng = rng;
    this.address = address;
    this.identity = identity;
    this.store = new InMemorySignalProtocolStore(identity, KeyHelper.generateRegistrationId(rng));
  }

  /** Generates, stores and returns a fresh bundle. */
  public PreKeyBundle bundle(boolean withOneTimePreKey) {
    int id = nextKeyId++;
    SignedPreKeyRecord signed = KeyHelper.generateSignedPreKey(identity, id, NOW, rng);
    KyberPreKeyRecord kyber = KeyHelper.generateKyberPreKey(identity, id, false, NOW, rng);
    store.storeSignedPreKey(id, signed);
    store.storeKyberPreKey(id, kyber);
    PreKeyRecord preKey = null;
    if (withOneTimePreKey) {
      preKey = KeyHelper.generatePreKey(id, rng);
      store.storePreKey(id, preKey);
    }
    return new PreKeyBundle(
        store.getLocalRegistrationId(),
        address.deviceId(),
        preKey == null ? null : id,
        preKey == null ? null : preKey.keyPair().publicKey(),
        id,
        signed.keyPair().publicKey(),
        signed.signature(),
        id,
        kyber.keyPair().publicKey(),
        kyber.signature(),
        identity.identityKey());
  }

  public void startSessionWith(TestParty other, boolean withOneTimePreKey) throws Exception {
    new SessionBuilder(store, other.address).process(other.bundle(withOneTimePreKey), NOW, rng);
  }

  public CiphertextMessage encrypt(TestParty to, String text) throws Exception {
    return new SessionCipher(store, address, to.address)
        .encrypt(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), NOW, rng);
  }

  public String decrypt(TestParty from, CiphertextMessage message) throws Exception {
    return decrypt(from, message.type(), message.serialize());
  }

  public String decrypt(TestParty from, int type, byte[] serialized) throws Exception {
    SessionCipher cipher = new SessionCipher(store, address, from.address);
    byte[] plaintext =
        type == CiphertextMessage.PREKEY_TYPE
            ? cipher.decrypt(PreKeySignalMessage.fromBytes(serialized), NOW, rng)
            : cipher.decrypt(SignalMessage.fromBytes(serialized), NOW, rng);
    return new String(plaintext, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The serialized session with {@code other}, for state-unchanged checks. */
  public byte[] sessionBytes(TestParty other) {
    var record = store.loadSession(other.address);
    return record == null ? null : record.serialize();
  }
}
