package org.sotto.protocol.state.impl;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.state.IdentityKeyStore;

/**
 * An in-memory identity store with trust on first use: an identity is trusted if none is stored for
 * the address or it equals the stored one. {@link #saveIdentity} replaces (that is how a user
 * trusts a changed key). Thread-safe.
 */
public final class InMemoryIdentityKeyStore implements IdentityKeyStore {
  private final IdentityKeyPair identityKeyPair;
  private final int registrationId;
  private final Map<ProtocolAddress, IdentityKey> trusted = new ConcurrentHashMap<>();

  /** Creates a store for our identity and registration id. */
  public InMemoryIdentityKeyStore(IdentityKeyPair identityKeyPair, int registrationId) {
    this.identityKeyPair = Objects.requireNonNull(identityKeyPair, "identityKeyPair");
    this.registrationId = registrationId;
  }

  @Override
  public IdentityKeyPair getIdentityKeyPair() {
    return identityKeyPair;
  }

  @Override
  public int getLocalRegistrationId() {
    return registrationId;
  }

  @Override
  public boolean saveIdentity(ProtocolAddress address, IdentityKey identityKey) {
    IdentityKey old = trusted.put(address, identityKey);
    return old != null && !old.equals(identityKey);
  }

  @Override
  public boolean isTrustedIdentity(
      ProtocolAddress address, IdentityKey identityKey, Direction direction) {
    IdentityKey known = trusted.get(address);
    return known == null || known.equals(identityKey);
  }

  @Override
  public IdentityKey getIdentity(ProtocolAddress address) {
    return trusted.get(address);
  }
}
