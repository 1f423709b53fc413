package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * One ciphertext for one device of the recipient. {@code type} is an {@code Envelope.Type} number.
 * Immutable; validated on construction.
 */
public record OutgoingMessage(
    int type, int destinationDeviceId, int destinationRegistrationId, byte[] content) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public OutgoingMessage {
    ApiChecks.check(
        type == 1 || type == 3 || type == 6 || type == 7, "type", "must be 1, 3, 6 or 7");
    ApiChecks.deviceId(destinationDeviceId, "destinationDeviceId");
    ApiChecks.registrationId(destinationRegistrationId, "destinationRegistrationId");
    ApiChecks.bytes(content, "content", 1, Integer.MAX_VALUE);
  }
}
