package org.sotto.client.transport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.sotto.api.Address;
import org.sotto.api.ApiChecks;

/**
 * A device's address and secret: what it authenticates with (HTTP Basic, user {@code
 * accountId.deviceId}). {@link #toString()} never prints the secret. Immutable.
 */
public record DeviceCredentials(Address address, String secret) {
  /** Validates the address and the secret's form. */
  public DeviceCredentials {
    Objects.requireNonNull(address, "address");
    ApiChecks.secret(secret, "secret");
  }

  /** The {@code Authorization} header value. */
  String authorization() {
    String user = address.account() + "." + address.device();
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "DeviceCredentials[address=" + address + ", secret=<redacted>]";
  }
}
