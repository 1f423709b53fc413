package org.sotto.server.store;

import org.sotto.api.dto.DeviceKeys;

/**
 * What a store needs to add a device: its secret's salt and hash and the keys it registered with.
 */
public record NewDevice(byte[] secretSalt, byte[] secretHash, DeviceKeys keys) {
  @Override
  public String toString() {
    return "NewDevice[registrationId=" + keys.registrationId() + "]";
  }
}
