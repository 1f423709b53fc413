package org.sotto.protocol;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.kem.Encapsulation;
import org.sotto.protocol.kem.Kyber1024;
import org.sotto.protocol.ratchet.Pqxdh;
import org.sotto.protocol.state.IdentityKeyStore.Direction;
import org.sotto.protocol.state.PreKeyBundle;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SessionState;
import org.sotto.protocol.state.SignalProtocolStore;

/**
 * Starts a session with a remote device from its {@link PreKeyBundle} (the PQXDH initiator side).
 * The responder side runs inside {@link
 * SessionCipher#decrypt(org.sotto.protocol.message.PreKeySignalMessage, Instant, SecureRandom)}.
 * Not thread-safe with respect to other operations on the same remote address.
 */
public final class SessionBuilder {
  private final SignalProtocolStore store;
  private final ProtocolAddress remoteAddress;

  /** A builder for sessions with {@code remoteAddress}. */
  public SessionBuilder(SignalProtocolStore store, ProtocolAddress remoteAddress) {
    this.store = Objects.requireNonNull(store, "store");
    this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
  }

  /**
   * Verifies both prekey signatures and the identity's trust, then sets up a new current session
   * (archiving any older one). Nothing is stored unless every check passes.
   *
   * @throws InvalidKeyException a prekey signature does not verify or a key is unusable
   * @throws UntrustedIdentityException the bundle's identity differs from the trusted one
   */
  public void process(PreKeyBundle bundle, Instant now, SecureRandom rng)
      throws InvalidKeyException, UntrustedIdentityException {
    IdentityKey theirIdentity = bundle.identityKey();
    if (!theirIdentity
        .publicKey()
        .verifySignature(bundle.signedPreKey().serialize(), bundle.signedPreKeySignature())) {
      throw new InvalidKeyException("signed prekey signature does not verify");
    }
    if (!theirIdentity
        .publicKey()
        .verifySignature(bundle.kyberPreKey().serialize(), bundle.kyberPreKeySignature())) {
      throw new InvalidKeyException("Kyber prekey signature does not verify");
    }
    if (!store.isTrustedIdentity(remoteAddress, theirIdentity, Direction.SENDING)) {
      throw new UntrustedIdentityException("untrusted identity for " + remoteAddress);
    }

    ECKeyPair baseKey = ECKeyPair.generate(rng);
    Encapsulation kem = Kyber1024.encapsulate(bundle.kyberPreKey(), rng);
    SessionState state =
        Pqxdh.initializeAlice(
            new Pqxdh.AliceParameters(
                store.getIdentityKeyPair(),
                baseKey,
                theirIdentity,
                bundle.signedPreKey(),
                bundle.preKey(),
                kem.sharedSecret()),
            rng);
    state.setUnacknowledgedPreKeyMessage(
        bundle.preKeyId() == null ? OptionalInt.empty() : OptionalInt.of(bundle.preKeyId()),
        bundle.signedPreKeyId(),
        baseKey.publicKey(),
        bundle.kyberPreKeyId(),
        kem.ciphertext(),
        now);
    state.setLocalRegistrationId(store.getLocalRegistrationId());
    state.setRemoteRegistrationId(bundle.registrationId());

    SessionRecord record = store.loadSession(remoteAddress);
    if (record == null) {
      record = new SessionRecord();
    }
    record.promoteState(state);
    store.saveIdentity(remoteAddress, theirIdentity);
    store.storeSession(remoteAddress, record);
  }
}
