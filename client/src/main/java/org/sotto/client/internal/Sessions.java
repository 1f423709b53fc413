package org.sotto.client.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.sotto.api.AccountId;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceBundle;
import org.sotto.api.dto.KeyBundleResponse;
import org.sotto.client.SottoException;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.SessionBuilder;
import org.sotto.protocol.UntrustedIdentityException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kem.KEMPublicKey;
import org.sotto.protocol.state.PreKeyBundle;

/**
 * Starts and lists sessions with the devices of one account, from prekey bundles the server hands
 * out. Not thread-safe: the client calls it under its own lock.
 */
final class Sessions {
  private final SqliteProtocolStore protocol;
  private final Clock clock;
  private final SecureRandom rng;

  Sessions(SqliteProtocolStore protocol, Clock clock, SecureRandom rng) {
    this.protocol = protocol;
    this.clock = clock;
    this.rng = rng;
  }

  /** The device ids of {@code account} that we hold a usable session with, ascending. */
  List<Integer> devicesWithSessions(AccountId account) {
    String name = account.toString();
    List<Integer> out = new ArrayList<>();
    if (protocol.containsSession(new ProtocolAddress(name, DeviceId.PRIMARY.value()))) {
      out.add(DeviceId.PRIMARY.value());
    }
    for (int d : protocol.getSubDeviceSessions(name)) {
      if (protocol.containsSession(new ProtocolAddress(name, d))) {
        out.add(d);
      }
    }
    return out;
  }

  /** Starts sessions with every device of {@code account} except {@code skipDevice} (or 0). */
  void startAll(ServerApi api, AccountId account, int skipDevice)
      throws TransportException, InterruptedException, UntrustedIdentityException, SottoException {
    KeyBundleResponse r = api.keyBundles(account);
    for (DeviceBundle d : r.devices()) {
      if (d.deviceId() != skipDevice) {
        start(account, r.identityKey(), d);
      }
    }
  }

  /** Starts a session with one device of {@code account}. */
  void startOne(ServerApi api, AccountId account, int device)
      throws TransportException, InterruptedException, UntrustedIdentityException, SottoException {
    KeyBundleResponse r = api.keyBundle(account, new DeviceId(device));
    for (DeviceBundle d : r.devices()) {
      if (d.deviceId() == device) {
        start(account, r.identityKey(), d);
        return;
      }
    }
    throw new SottoException("the server sent no bundle for the requested device");
  }

  void start(AccountId account, byte[] identityKey, DeviceBundle d)
      throws UntrustedIdentityException, SottoException {
    ProtocolAddress address = new ProtocolAddress(account.toString(), d.deviceId());
    try {
      new SessionBuilder(protocol, address).process(bundle(identityKey, d), clock.instant(), rng);
    } catch (InvalidKeyException | IllegalArgumentException | NullPointerException e) {
      // A bundle with a bad signature or malformed keys: the server (or someone) misbehaves.
      throw new SottoException("the server sent an invalid prekey bundle");
    }
  }

  static PreKeyBundle bundle(byte[] identityKey, DeviceBundle d) throws InvalidKeyException {
    boolean hasPre = d.preKey() != null;
    return new PreKeyBundle(
        d.registrationId(),
        d.deviceId(),
        hasPre ? d.preKey().keyId() : null,
        hasPre ? ECPublicKey.fromBytes(d.preKey().publicKey()) : null,
        d.signedPreKey().keyId(),
        ECPublicKey.fromBytes(d.signedPreKey().publicKey()),
        d.signedPreKey().signature(),
        d.kyberPreKey().keyId(),
        KEMPublicKey.fromBytes(d.kyberPreKey().publicKey()),
        d.kyberPreKey().signature(),
        IdentityKey.fromBytes(identityKey));
  }

  /** The identity key in a bundle response, parsed. */
  static IdentityKey identity(byte[] identityKey) throws SottoException {
    try {
      return IdentityKey.fromBytes(identityKey);
    } catch (InvalidKeyException | RuntimeException e) {
      throw new SottoException("the server sent an invalid identity key");
    }
  }
}
