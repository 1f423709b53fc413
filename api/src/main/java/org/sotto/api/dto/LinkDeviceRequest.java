package org.sotto.api.dto;

import org.sotto.api.AccountId;
import org.sotto.api.ApiChecks;

/**
 * Registers a new device on an existing account with a provisioning code, optionally with its name
 * encrypted by the client (an opaque blob to the server). Immutable; validated on construction.
 */
public record LinkDeviceRequest(
    AccountId accountId, String code, String deviceSecret, DeviceKeys keys, byte[] name) {
  /**
   * Largest encrypted device name: a name of up to 64 characters is at most 256 bytes of UTF-8,
   * plus the client's version byte, nonce and tag; 512 leaves room without letting the field hold
   * files.
   */
  public static final int MAX_NAME_BYTES = 512;

  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public LinkDeviceRequest {
    ApiChecks.required(accountId, "accountId");
    ApiChecks.required(code, "code");
    ApiChecks.check(code.length() <= 64, "code", "must be at most 64 characters");
    ApiChecks.secret(deviceSecret, "deviceSecret");
    ApiChecks.required(keys, "keys");
    if (name != null) {
      ApiChecks.bytes(name, "name", 1, MAX_NAME_BYTES);
    }
  }

  /** A request without a device name. */
  public LinkDeviceRequest(AccountId accountId, String code, String deviceSecret, DeviceKeys keys) {
    this(accountId, code, deviceSecret, keys, null);
  }

  /** Never prints the device secret or codes. */
  @Override
  public String toString() {
    return "LinkDeviceRequest[accountId="
        + accountId
        + ", code=<redacted>, deviceSecret=<redacted>]";
  }
}
