package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/**
 * A solved registration challenge: SHA-256(challenge || nonce as 8 big-endian bytes) starts with
 * the required number of zero bits. Immutable; validated on construction.
 */
public record ProofOfWork(byte[] challenge, long nonce) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public ProofOfWork {
    ApiChecks.bytes(challenge, "challenge", 16, 16);
  }
}
