package org.sotto.protocol.state;

import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;

/**
 * Our identity and the trust decisions about other parties' identities. Implementations say if
 * thread-safe.
 */
public interface IdentityKeyStore {
  /** Which way a message is going when trust is checked. */
  enum Direction {
    /** We are about to encrypt to the identity. */
    SENDING,
    /** We received a message from the identity. */
    RECEIVING
  }

  /** Our identity key pair. */
  IdentityKeyPair getIdentityKeyPair();

  /** Our registration id. */
  int getLocalRegistrationId();

  /**
   * Records {@code identityKey} as the identity of {@code address}.
   *
   * @return true if it replaced a different key
   */
  boolean saveIdentity(ProtocolAddress address, IdentityKey identityKey);

  /** Whether {@code identityKey} is trusted for {@code address} in this direction. */
  boolean isTrustedIdentity(ProtocolAddress address, IdentityKey identityKey, Direction direction);

  /** The stored identity of {@code address}, or null. */
  IdentityKey getIdentity(ProtocolAddress address);
}
