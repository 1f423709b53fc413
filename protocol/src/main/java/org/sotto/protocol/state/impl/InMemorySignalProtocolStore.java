package org.sotto.protocol.state.impl;

import java.util.List;
import java.util.UUID;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.groups.InMemorySenderKeyStore;
import org.sotto.protocol.groups.SenderKeyRecord;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SignalProtocolStore;
import org.sotto.protocol.state.SignedPreKeyRecord;

/**
 * All protocol stores in memory: trust-on-first-use identities, serialized prekeys, sessions and
 * sender keys. For tests, demos and as a model for persistent stores. Thread-safe per call (callers
 * serialize operations on one session).
 */
public final class InMemorySignalProtocolStore implements SignalProtocolStore {
  private final InMemoryIdentityKeyStore identities;
  private final InMemoryPreKeyStores preKeys = new InMemoryPreKeyStores();
  private final InMemorySessionStore sessions = new InMemorySessionStore();
  private final InMemorySenderKeyStore senderKeys = new InMemorySenderKeyStore();

  /** Creates an empty store for our identity and registration id. */
  public InMemorySignalProtocolStore(IdentityKeyPair identityKeyPair, int registrationId) {
    this.identities = new InMemoryIdentityKeyStore(identityKeyPair, registrationId);
  }

  @Override
  public IdentityKeyPair getIdentityKeyPair() {
    return identities.getIdentityKeyPair();
  }

  @Override
  public int getLocalRegistrationId() {
    return identities.getLocalRegistrationId();
  }

  @Override
  public boolean saveIdentity(ProtocolAddress address, IdentityKey identityKey) {
    return identities.saveIdentity(address, identityKey);
  }

  @Override
  public boolean isTrustedIdentity(
      ProtocolAddress address, IdentityKey identityKey, Direction direction) {
    return identities.isTrustedIdentity(address, identityKey, direction);
  }

  @Override
  public IdentityKey getIdentity(ProtocolAddress address) {
    return identities.getIdentity(address);
  }

  @Override
  public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyException {
    return preKeys.loadPreKey(preKeyId);
  }

  @Override
  public void storePreKey(int preKeyId, PreKeyRecord record) {
    preKeys.storePreKey(preKeyId, record);
  }

  @Override
  public boolean containsPreKey(int preKeyId) {
    return preKeys.containsPreKey(preKeyId);
  }

  @Override
  public void removePreKey(int preKeyId) {
    preKeys.removePreKey(preKeyId);
  }

  @Override
  public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyException {
    return preKeys.loadSignedPreKey(signedPreKeyId);
  }

  @Override
  public List<SignedPreKeyRecord> loadSignedPreKeys() {
    return preKeys.loadSignedPreKeys();
  }

  @Override
  public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
    preKeys.storeSignedPreKey(signedPreKeyId, record);
  }

  @Override
  public boolean containsSignedPreKey(int signedPreKeyId) {
    return preKeys.containsSignedPreKey(signedPreKeyId);
  }

  @Override
  public void removeSignedPreKey(int signedPreKeyId) {
    preKeys.removeSignedPreKey(signedPreKeyId);
  }

  @Override
  public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyException {
    return preKeys.loadKyberPreKey(kyberPreKeyId);
  }

  @Override
  public List<KyberPreKeyRecord> loadKyberPreKeys() {
    return preKeys.loadKyberPreKeys();
  }

  @Override
  public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
    preKeys.storeKyberPreKey(kyberPreKeyId, record);
  }

  @Override
  public boolean containsKyberPreKey(int kyberPreKeyId) {
    return preKeys.containsKyberPreKey(kyberPreKeyId);
  }

  @Override
  public void markKyberPreKeyUsed(int kyberPreKeyId) {
    preKeys.markKyberPreKeyUsed(kyberPreKeyId);
  }

  @Override
  public SessionRecord loadSession(ProtocolAddress address) {
    return sessions.loadSession(address);
  }

  @Override
  public List<Integer> getSubDeviceSessions(String name) {
    return sessions.getSubDeviceSessions(name);
  }

  @Override
  public void storeSession(ProtocolAddress address, SessionRecord record) {
    sessions.storeSession(address, record);
  }

  @Override
  public boolean containsSession(ProtocolAddress address) {
    return sessions.containsSession(address);
  }

  @Override
  public void deleteSession(ProtocolAddress address) {
    sessions.deleteSession(address);
  }

  @Override
  public void deleteAllSessions(String name) {
    sessions.deleteAllSessions(name);
  }

  @Override
  public void storeSenderKey(ProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
    senderKeys.storeSenderKey(sender, distributionId, record);
  }

  @Override
  public SenderKeyRecord loadSenderKey(ProtocolAddress sender, UUID distributionId) {
    return senderKeys.loadSenderKey(sender, distributionId);
  }
}
