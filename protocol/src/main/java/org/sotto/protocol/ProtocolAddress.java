package org.sotto.protocol;

import java.util.Objects;

/**
 * The address of one device of one party: a name (in Sotto an account UUID string) and a device id.
 * Immutable and thread-safe.
 *
 * @param name the account name, never null or empty
 * @param deviceId the device id, 1..{@link #MAX_DEVICE_ID}
 */
public record ProtocolAddress(String name, int deviceId) {
  /**
   * The largest device id libsignal accepts (device ids travel as 7-bit values in some formats).
   */
  public static final int MAX_DEVICE_ID = 127;

  /** Validates the name and device id. */
  public ProtocolAddress {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty address name");
    }
    if (deviceId < 1 || deviceId > MAX_DEVICE_ID) {
      throw new IllegalArgumentException("device id out of range: " + deviceId);
    }
  }

  @Override
  public String toString() {
    return name + "." + deviceId;
  }
}
