package org.sotto.protocol.sealed;

import java.util.List;
import java.util.UUID;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.groups.SenderKeyRecord;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SignalProtocolStore;
import org.sotto.protocol.state.SignedPreKeyRecord;

/**
 * The store as {@link SealedSessionCipher} hands it to {@link org.sotto.protocol.SessionCipher} for
 * the inner message of a sealed envelope: everything is the underlying store's, except that the
 * certified sender's address trusts no identity other than the certificate's. The session cipher
 * checks trust with the identity it really used (a PreKey message's before anything is computed, a
 * session's before anything is stored), so a certificate for one key around a message from another
 * is refused with nothing stored; {@link #refusedOtherIdentity()} then tells that refusal apart
 * from the underlying store's. One instance per decryption; not thread-safe.
 */
final class CertifiedSenderStore implements SignalProtocolStore {
  private final SignalProtocolStore store;
  private final ProtocolAddress sender;
  private final IdentityKey certifiedIdentity;
  private boolean refusedOtherIdentity;

  CertifiedSenderStore(
      SignalProtocolStore store, ProtocolAddress sender, IdentityKey certifiedIdentity) {
    this.store = store;
    this.sender = sender;
    this.certifiedIdentity = certifiedIdentity;
  }

  /** Whether an identity was refused because it is not the certificate's. */
  boolean refusedOtherIdentity() {
    return refusedOtherIdentity;
  }

  @Override
  public boolean isTrustedIdentity(
      ProtocolAddress address, IdentityKey identityKey, Direction direction) {
    if (address.equals(sender) && !identityKey.equals(certifiedIdentity)) {
      refusedOtherIdentity = true;
      return false;
    }
    return store.isTrustedIdentity(address, identityKey, direction);
  }

  @Override
  public IdentityKeyPair getIdentityKeyPair() {
    return store.getIdentityKeyPair();
  }

  @Override
  public int getLocalRegistrationId() {
    return store.getLocalRegistrationId();
  }

  @Override
  public boolean saveIdentity(ProtocolAddress address, IdentityKey identityKey) {
    return store.saveIdentity(address, identityKey);
  }

  @Override
  public IdentityKey getIdentity(ProtocolAddress address) {
    return store.getIdentity(address);
  }

  @Override
  public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyException {
    return store.loadPreKey(preKeyId);
  }

  @Override
  public void storePreKey(int preKeyId, PreKeyRecord record) {
    store.storePreKey(preKeyId, record);
  }

  @Override
  public boolean containsPreKey(int preKeyId) {
    return store.containsPreKey(preKeyId);
  }

  @Override
  public void removePreKey(int preKeyId) {
    store.removePreKey(preKeyId);
  }

  @Override
  public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyException {
    return store.loadSignedPreKey(signedPreKeyId);
  }

  @Override
  public List<SignedPreKeyRecord> loadSignedPreKeys() {
    return store.loadSignedPreKeys();
  }

  @Override
  public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
    store.storeSignedPreKey(signedPreKeyId, record);
  }

  @Override
  public boolean containsSignedPreKey(int signedPreKeyId) {
    return store.containsSignedPreKey(signedPreKeyId);
  }

  @Override
  public void removeSignedPreKey(int signedPreKeyId) {
    store.removeSignedPreKey(signedPreKeyId);
  }

  @Override
  public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyException {
    return store.loadKyberPreKey(kyberPreKeyId);
  }

  @Override
  public List<KyberPreKeyRecord> loadKyberPreKeys() {
    return store.loadKyberPreKeys();
  }

  @Override
  public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
    store.storeKyberPreKey(kyberPreKeyId, record);
  }

  @Override
  public boolean containsKyberPreKey(int kyberPreKeyId) {
    return store.containsKyberPreKey(kyberPreKeyId);
  }

  @Override
  public void markKyberPreKeyUsed(int kyberPreKeyId) {
    store.markKyberPreKeyUsed(kyberPreKeyId);
  }

  @Override
  public SessionRecord loadSession(ProtocolAddress address) {
    return store.loadSession(address);
  }

  @Override
  public List<Integer> getSubDeviceSessions(String name) {
    return store.getSubDeviceSessions(name);
  }

  @Override
  public void storeSession(ProtocolAddress address, SessionRecord record) {
    store.storeSession(address, record);
  }

  @Override
  public boolean containsSession(ProtocolAddress address) {
    return store.containsSession(address);
  }

  @Override
  public void deleteSession(ProtocolAddress address) {
    store.deleteSession(address);
  }

  @Override
  public void deleteAllSessions(String name) {
    store.deleteAllSessions(name);
  }

  @Override
  public void storeSenderKey(ProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
    store.storeSenderKey(sender, distributionId, record);
  }

  @Override
  public SenderKeyRecord loadSenderKey(ProtocolAddress sender, UUID distributionId) {
    return store.loadSenderKey(sender, distributionId);
  }

  @Override
  public String toString() {
    return "CertifiedSenderStore[" + store + "]";
  }
}
