package org.sotto.bench.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A registered bench account's first device and how to authenticate as it. Immutable.
 *
 * @param accountId the account UUID
 * @param deviceId the device id (1)
 * @param secret the device secret
 * @param registrationId the device's registration id, which senders must name
 */
record BenchAccount(String accountId, int deviceId, String secret, int registrationId) {
  /** The value of an HTTP Basic {@code Authorization} header for this device. */
  String basicAuth() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (accountId + "." + deviceId + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  /** Leaves the secret out. */
  @Override
  public String toString() {
    return "BenchAccount[" + accountId + "." + deviceId + "]";
  }

  /** One line that {@link #parse} reads back (passing accounts to the idle-connection holders). */
  String line() {
    return accountId + " " + deviceId + " " + secret + " " + registrationId;
  }

  /** Reads a {@link #line()}. */
  static BenchAccount parse(String line) {
    String[] f = line.strip().split(" ");
    if (f.length != 4) {
      throw new IllegalArgumentException("not an account line");
    }
    return new BenchAccount(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]));
  }
}
