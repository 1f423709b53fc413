package org.sotto.api.dto;

/**
 * A short-lived sealed-sender certificate for the calling device (serialized SenderCertificate).
 * Immutable; validated on construction.
 */
public record SenderCertificateResponse(byte[] certificate) {}
