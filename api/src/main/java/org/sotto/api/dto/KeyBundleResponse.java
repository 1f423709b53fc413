package org.sotto.api.dto;

import java.util.List;

/** Prekey bundles for one or all devices of an account. Immutable; validated on construction. */
public record KeyBundleResponse(byte[] identityKey, List<DeviceBundle> devices) {}
