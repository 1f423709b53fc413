package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * One device of the caller's account: its id and its name as the client encrypted it (null when it
 * gave none; only the account's devices can decrypt it). Immutable; validated on construction.
 */
public record DeviceInfo(int deviceId, byte[] name) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public DeviceInfo {
    if (name != null) {
      ApiChecks.bytes(name, "name", 1, LinkDeviceRequest.MAX_NAME_BYTES);
    }
  }

  /** A device without a name. */
  public DeviceInfo(int deviceId) {
    this(deviceId, null);
  }
}
