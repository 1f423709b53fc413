package org.sotto.protocol.sealed;

import java.security.SecureRandom;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;

/**
 * Test access to sealing without {@link SealedSessionCipher}'s checks, for tests outside this
 * package (the fuzz seeds) that need envelopes a well-behaved sender never makes: content whose
 * certificate names another key than the one sealing it. Stateless and thread-safe.
 */
public final class SealedTestSupport {
  private SealedTestSupport() {}

  /** Seals {@code content} from {@code sealer} to {@code recipient}, whatever the content says. */
  public static byte[] sealUnchecked(
      IdentityKey recipient, IdentityKeyPair sealer, byte[] content, SecureRandom rng)
      throws InvalidKeyException {
    return SealedSessionCipher.seal(recipient, sealer, content, rng);
  }
}
