package org.sotto.protocol.interop;

import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * One identity held by the Sotto peer under a local label ({@code who}): its address, registration
 * id, key pair and protocol store, and the next ids for the prekeys it publishes. Not thread-safe;
 * the peer is single-threaded.
 */
final class PeerIdentity {
  private final ProtocolAddress address;
  private final int registrationId;
  private final IdentityKeyPair identityKeyPair;
  private final InMemorySignalProtocolStore store;
  private int nextPreKeyId = 1;
  private int nextSignedPreKeyId = 1;
  private int nextKyberPreKeyId = 1;

  PeerIdentity(ProtocolAddress address, int registrationId, IdentityKeyPair identityKeyPair) {
    this.address = address;
    this.registrationId = registrationId;
    this.identityKeyPair = identityKeyPair;
    this.store = new InMemorySignalProtocolStore(identityKeyPair, registrationId);
  }

  ProtocolAddress address() {
    return address;
  }

  int registrationId() {
    return registrationId;
  }

  IdentityKeyPair identityKeyPair() {
    return identityKeyPair;
  }

  InMemorySignalProtocolStore store() {
    return store;
  }

  int takePreKeyId() {
    return nextPreKeyId++;
  }

  int takeSignedPreKeyId() {
    return nextSignedPreKeyId++;
  }

  int takeKyberPreKeyId() {
    return nextKyberPreKeyId++;
  }
}
