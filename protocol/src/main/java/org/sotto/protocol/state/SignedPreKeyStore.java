package org.sotto.protocol.state;

import java.util.List;
import org.sotto.protocol.InvalidKeyException;

/** Our signed prekeys. Implementations say if thread-safe. */
public interface SignedPreKeyStore {
  /** Loads a signed prekey; an unknown id gives {@link InvalidKeyException}. */
  SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyException;

  /** All stored signed prekeys. */
  List<SignedPreKeyRecord> loadSignedPreKeys();

  /** Stores a signed prekey under its id. */
  void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record);

  /** Whether a signed prekey with this id is stored. */
  boolean containsSignedPreKey(int signedPreKeyId);

  /** Deletes a signed prekey. */
  void removeSignedPreKey(int signedPreKeyId);
}
