package org.sotto.api.dto;

import java.util.List;

/**
 * 410 body: these devices have re-registered since the sender's session was set up. Immutable;
 * validated on construction.
 */
public record StaleDevices(List<Integer> staleDevices) {}
