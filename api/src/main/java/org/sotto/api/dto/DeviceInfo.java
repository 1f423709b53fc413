package org.sotto.api.dto;

/** One device of the caller's account. Immutable; validated on construction. */
public record DeviceInfo(int deviceId) {}
