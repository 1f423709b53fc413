package org.sotto.api.dto;

/**
 * One device's part of a prekey bundle; {@code preKey} is null when the device has run out of
 * one-time prekeys. Immutable; validated on construction.
 */
public record DeviceBundle(
    int deviceId,
    int registrationId,
    SignedPreKey signedPreKey,
    PreKey preKey,
    KyberPreKey kyberPreKey) {}
