package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * Creates an account with its first device. {@code handle}, {@code proofOfWork} and {@code
 * inviteCode} are optional; which of the last two is required depends on the server's registration
 * mode. Immutable; validated on construction.
 */
public record RegisterRequest(
    String handle,
    byte[] identityKey,
    String deviceSecret,
    DeviceKeys keys,
    ProofOfWork proofOfWork,
    String inviteCode) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public RegisterRequest {
    handle = ApiChecks.handle(handle, "handle");
    ApiChecks.ecPublicKey(identityKey, "identityKey");
    ApiChecks.secret(deviceSecret, "deviceSecret");
    ApiChecks.required(keys, "keys");
    if (inviteCode != null) {
      ApiChecks.check(inviteCode.length() <= 64, "inviteCode", "must be at most 64 characters");
    }
  }

  /** Never prints the device secret or codes. */
  @Override
  public String toString() {
    return "RegisterRequest[handle=" + handle + ", deviceSecret=<redacted>]";
  }
}
