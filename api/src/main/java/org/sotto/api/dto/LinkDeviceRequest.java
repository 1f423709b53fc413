package org.sotto.api.dto;

import org.sotto.api.AccountId;
import org.sotto.api.ApiChecks;

/**
 * Registers a new device on an existing account with a provisioning code. Immutable; validated on
 * construction.
 */
public record LinkDeviceRequest(
    AccountId accountId, String code, String deviceSecret, DeviceKeys keys) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public LinkDeviceRequest {
    ApiChecks.required(accountId, "accountId");
    ApiChecks.required(code, "code");
    ApiChecks.check(code.length() <= 64, "code", "must be at most 64 characters");
    ApiChecks.secret(deviceSecret, "deviceSecret");
    ApiChecks.required(keys, "keys");
  }

  /** Never prints the device secret or codes. */
  @Override
  public String toString() {
    return "LinkDeviceRequest[accountId="
        + accountId
        + ", code=<redacted>, deviceSecret=<redacted>]";
  }
}
