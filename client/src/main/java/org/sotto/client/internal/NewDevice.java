package org.sotto.client.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.client.SottoException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.util.KeyHelper;

/**
 * What a device needs before the server knows it, whether it registers a new account or joins one
 * by linking: its protocol store (the account's identity and a fresh registration id), its first
 * prekeys, and its random device secret. {@link #toString()} hides the secret. Immutable.
 *
 * @param protocol the protocol store in the device's local store
 * @param keys the public prekeys to upload
 * @param secret the device's password for the server
 */
record NewDevice(SqliteProtocolStore protocol, DeviceKeys keys, String secret) {
  /** Creates the protocol store, the prekeys and the device secret in {@code store}. */
  static NewDevice create(LocalStore store, IdentityKeyPair identity, Clock clock, SecureRandom rng)
      throws SottoException {
    SqliteProtocolStore protocol =
        Errors.storage(
            () ->
                SqliteProtocolStore.create(store, identity, KeyHelper.generateRegistrationId(rng)));
    DeviceKeys keys = Errors.storage(() -> new PreKeys(store, protocol, clock, rng).initialKeys());
    byte[] s = new byte[DefaultSottoClient.SECRET_BYTES];
    rng.nextBytes(s);
    return new NewDevice(protocol, keys, Base64.getUrlEncoder().withoutPadding().encodeToString(s));
  }

  @Override
  public String toString() {
    return "NewDevice[secret=<redacted>]";
  }
}
