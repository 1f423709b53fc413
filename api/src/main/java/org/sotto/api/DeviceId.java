package org.sotto.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A device's number within its account, 1..{@value ApiChecks#MAX_DEVICE_ID}; 1 is the first device.
 */
public record DeviceId(int value) {
  /** The device created with the account. */
  public static final DeviceId PRIMARY = new DeviceId(1);

  /** Validates the range. */
  @JsonCreator
  public DeviceId {
    ApiChecks.deviceId(value, "deviceId");
  }

  /** Parses a decimal device id; {@link IllegalArgumentException} otherwise. */
  public static DeviceId parse(String text) {
    ApiChecks.required(text, "deviceId");
    ApiChecks.check(text.matches("[0-9]{1,3}"), "deviceId", "must be a number");
    return new DeviceId(Integer.parseInt(text));
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }

  /** The numeric value. */
  @JsonValue
  public int toInt() {
    return value;
  }
}
