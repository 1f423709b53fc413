package org.sotto.api.dto;

import java.util.List;

/** The devices of the caller's account. Immutable; validated on construction. */
public record DeviceList(List<DeviceInfo> devices) {}
