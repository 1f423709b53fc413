package org.sotto.api.dto;

import java.util.List;

/**
 * 409 body: the send did not list exactly the recipient's devices. Immutable; validated on
 * construction.
 */
public record MismatchedDevices(List<Integer> missingDevices, List<Integer> extraDevices) {}
