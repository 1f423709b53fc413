package org.sotto.client.internal;

import org.sotto.api.AccountId;
import org.sotto.api.dto.DeviceBundle;
import org.sotto.api.dto.KeyBundleResponse;
import org.sotto.client.SottoException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.transport.ServerApi;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.fingerprint.NumericFingerprintGenerator;
import org.sotto.protocol.state.SessionRecord;

/**
 * Trust decisions and safety numbers for other accounts. Not thread-safe: the client calls {@link
 * #trust} under its own lock.
 */
final class Identities {
  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final ServerApi api;
  private final Sessions sessions;
  private final ProtocolAddress local;

  Identities(
      LocalStore store,
      SqliteProtocolStore protocol,
      ServerApi api,
      Sessions sessions,
      ProtocolAddress local) {
    this.store = store;
    this.protocol = protocol;
    this.api = api;
    this.sessions = sessions;
    this.local = local;
  }

  /**
   * Accepts the current identity key of every device of {@code id}, as the server hands it out, and
   * starts fresh sessions with the devices whose session was made under another key (the bundles
   * are fetched anyway, so their one-time prekeys are not wasted).
   */
  void trust(AccountId id) throws SottoException, InterruptedException {
    KeyBundleResponse bundles = Errors.transport(() -> api.keyBundles(id));
    IdentityKey key = Sessions.identity(bundles.identityKey());
    Errors.storage(
        () ->
            store.<Void, SottoException>atomically(
                () -> {
                  for (DeviceBundle d : bundles.devices()) {
                    if (id.toString().equals(local.name()) && d.deviceId() == local.deviceId()) {
                      continue;
                    }
                    ProtocolAddress a = new ProtocolAddress(id.toString(), d.deviceId());
                    protocol.saveIdentity(a, key);
                    SessionRecord s = protocol.loadSession(a);
                    if (s == null
                        || !s.hasCurrentState()
                        || !key.equals(s.currentState().remoteIdentityKey())) {
                      protocol.deleteSession(a);
                      try {
                        sessions.start(id, bundles.identityKey(), d);
                      } catch (org.sotto.protocol.UntrustedIdentityException e) {
                        throw new AssertionError("the identity was saved as trusted just now", e);
                      }
                    }
                  }
                  return null;
                }));
  }

  /**
   * The displayable safety number of us and {@code id}, computed with the identity key the server
   * hands out now: the key that {@link #trust} would accept, which is what a user compares before
   * trusting a changed identity.
   */
  String safetyNumber(AccountId id) throws SottoException, InterruptedException {
    IdentityKey theirs = Sessions.identity(Errors.transport(() -> api.profile(id)).identityKey());
    IdentityKey ours = protocol.getIdentityKeyPair().identityKey();
    return new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS)
        .createFor(
            NumericFingerprintGenerator.VERSION,
            NumericFingerprintGenerator.uuidIdentifier(local.name()),
            ours,
            NumericFingerprintGenerator.uuidIdentifier(id.value()),
            theirs)
        .displayable()
        .getDisplayText();
  }
}
