package org.sotto.server.store;

import org.sotto.api.dto.DeviceKeys;

/**
 * What a store needs to add a device: its secret's salt and hash, the keys it registered with and
 * its name as the client encrypted it (or null).
 */
public record NewDevice(byte[] secretSalt, byte[] secretHash, DeviceKeys keys, byte[] name) {
  /** A device without a name. */
  public NewDevice(byte[] secretSalt, byte[] secretHash, DeviceKeys keys) {
    this(secretSalt, secretHash, keys, null);
  }

  @Override
  public String toString() {
    return "NewDevice[registrationId=" + keys.registrationId() + "]";
  }
}
