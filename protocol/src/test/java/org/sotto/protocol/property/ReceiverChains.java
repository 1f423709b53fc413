package org.sotto.protocol.property;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.state.SessionState;

/**
 * What one party's session keeps of the other's sending chains, modelled from the outside: a chain
 * is added, newest first, the first time a message on it decrypts, and only the {@link
 * SessionState#MAX_RECEIVER_CHAINS} newest are kept (libsignal's rule). A message whose chain was
 * seen and then evicted can no longer decrypt: that is the one expected failure of an untampered
 * first delivery. A chain never seen is always newer than every kept one (a sender only starts
 * chain n + 1 after the receiver has answered a message on chain n), so it always decrypts.
 * Mutable; used by one schedule.
 */
final class ReceiverChains {
  private final List<ECPublicKey> kept = new ArrayList<>();
  private final Set<ECPublicKey> seen = new HashSet<>();

  /**
   * Records a chain the session starts with (the initiator's receiving chain on the signed prekey).
   */
  void initial(ECPublicKey chain) {
    decrypted(chain);
  }

  /** Whether a message on {@code chain} can still be decrypted (or found to be a replay). */
  boolean usable(ECPublicKey chain) {
    return kept.contains(chain) || !seen.contains(chain);
  }

  /** Records a successful decryption of a message on {@code chain}. */
  void decrypted(ECPublicKey chain) {
    if (!kept.contains(chain)) {
      kept.add(0, chain);
      seen.add(chain);
      while (kept.size() > SessionState.MAX_RECEIVER_CHAINS) {
        kept.remove(kept.size() - 1);
      }
    }
  }
}
