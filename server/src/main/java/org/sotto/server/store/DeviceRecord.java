package org.sotto.server.store;

import org.sotto.api.Address;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.SignedPreKey;

/**
 * A device as stored: its address, registration id, the salted hash of its secret, and its current
 * signed and last-resort prekeys, and its name as the client encrypted it (or null). {@link
 * #toString()} omits the secret hash. Immutable.
 */
public record DeviceRecord(
    Address address,
    int registrationId,
    byte[] secretSalt,
    byte[] secretHash,
    SignedPreKey signedPreKey,
    KyberPreKey lastResortKyberPreKey,
    byte[] name) {
  /** A device without a name. */
  public DeviceRecord(
      Address address,
      int registrationId,
      byte[] secretSalt,
      byte[] secretHash,
      SignedPreKey signedPreKey,
      KyberPreKey lastResortKyberPreKey) {
    this(
        address, registrationId, secretSalt, secretHash, signedPreKey, lastResortKyberPreKey, null);
  }

  @Override
  public String toString() {
    return "DeviceRecord[" + address + ", registrationId=" + registrationId + "]";
  }
}
