package org.sotto.client.transport;

import java.util.List;

/**
 * The outcome of a send that the server understood: stored, or refused because the device list was
 * wrong (409) or some sessions are stale (410). The SDK refreshes devices or sessions and retries
 * on the last two. Immutable.
 */
public sealed interface SendResult {
  /** Stored durably: one envelope per destination device. */
  record Sent(int stored) implements SendResult {}

  /** 409: the send must add sessions for {@code missingDevices} and drop {@code extraDevices}. */
  record MismatchedDevices(List<Integer> missingDevices, List<Integer> extraDevices)
      implements SendResult {
    /** Copies the lists. */
    public MismatchedDevices {
      missingDevices = List.copyOf(missingDevices);
      extraDevices = List.copyOf(extraDevices);
    }
  }

  /** 410: these devices re-registered; their sessions must be rebuilt from fresh bundles. */
  record StaleDevices(List<Integer> staleDevices) implements SendResult {
    /** Copies the list. */
    public StaleDevices {
      staleDevices = List.copyOf(staleDevices);
    }
  }
}
