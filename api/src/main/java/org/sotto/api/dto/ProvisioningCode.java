package org.sotto.api.dto;

/**
 * A short-lived code that lets one new device join the account. Immutable. {@link #toString()}
 * leaves the code out: whoever holds it can add a device.
 */
public record ProvisioningCode(String code, long expiresAtMs) {
  @Override
  public String toString() {
    return "ProvisioningCode[code=<redacted>, expiresAtMs=" + expiresAtMs + "]";
  }
}
