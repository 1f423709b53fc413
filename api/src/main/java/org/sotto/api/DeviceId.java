package org.sotto.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A device's number within its account, 1..{@value ApiChecks#MAX_DEVICE_ID}; 1 is the first device.
 */
public record DeviceId(int value) {
  /** The device created with the account. */
  public static final DeviceId PRIMARY = new DeviceId(1);

  /**
   * A decimal device id: one to three digits. Compiled once: the server parses a device id on every
   * authenticated request, and {@code String.matches} compiled the pattern each time.
   */
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,3}");

  /** Validates the range. */
  @JsonCreator
  public DeviceId {
    ApiChecks.deviceId(value, "deviceId");
  }

  /** Parses a decimal device id; {@link IllegalArgumentException} otherwise. */
  public static DeviceId parse(String text) {
    ApiChecks.required(text, "deviceId");
    ApiChecks.check(DECIMAL.matcher(text).matches(), "deviceId", "must be a number");
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
