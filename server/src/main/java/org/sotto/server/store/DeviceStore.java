package org.sotto.server.store;

import java.util.List;
import java.util.Optional;
import org.sotto.api.AccountId;
import org.sotto.api.Address;

/**
 * Devices of accounts and their linking codes. Thread-safe; writes are durable when they return.
 */
public interface DeviceStore {
  /** Thrown by {@link #add} when the account already has {@code max} devices. */
  final class TooManyDevicesException extends Exception {
    private static final long serialVersionUID = 1L;

    /** No detail needed. */
    public TooManyDevicesException() {
      super("too many devices", null, false, false);
    }
  }

  /** All devices of the account, by id. */
  List<DeviceRecord> devices(AccountId account);

  /**
   * All devices of the account, by id, for checking a send's device list: possibly read a moment
   * ago (see {@link CachingDeviceStore}); by default the same as {@link #devices}.
   */
  default List<DeviceRecord> recentDevices(AccountId account) {
    return devices(account);
  }

  /** One device. */
  Optional<DeviceRecord> device(Address address);

  /**
   * Adds a device with the lowest free id; fails when the account already has {@code max} devices.
   */
  DeviceRecord add(AccountId account, NewDevice device, int max) throws TooManyDevicesException;

  /** Removes a device with its keys and queue; false if it did not exist. */
  boolean remove(Address address);

  /** Stores a hashed linking code for the account, valid until {@code expiresMs}. */
  void addProvisioningCode(AccountId account, byte[] codeHash, long expiresMs);

  /**
   * Consumes a linking code: true (and the code is gone) if it exists for {@code account} and has
   * not expired at {@code nowMs}.
   */
  boolean consumeProvisioningCode(AccountId account, byte[] codeHash, long nowMs);
}
