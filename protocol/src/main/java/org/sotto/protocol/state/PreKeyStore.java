package org.sotto.protocol.state;

import org.sotto.protocol.InvalidKeyException;

/** Our one-time Curve25519 prekeys. Implementations say if thread-safe. */
public interface PreKeyStore {
  /** Loads a prekey; an unknown id gives {@link InvalidKeyException}. */
  PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyException;

  /** Stores a prekey under its id. */
  void storePreKey(int preKeyId, PreKeyRecord record);

  /** Whether a prekey with this id is stored. */
  boolean containsPreKey(int preKeyId);

  /** Deletes a prekey (after a session used it). */
  void removePreKey(int preKeyId);
}
