package org.sotto.api;

import java.util.Objects;

/** One device of one account: where envelopes are delivered. Immutable. */
public record Address(AccountId account, DeviceId device) {
  /** Validates non-null parts. */
  public Address {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(device, "device");
  }

  @Override
  public String toString() {
    return account + "." + device;
  }
}
