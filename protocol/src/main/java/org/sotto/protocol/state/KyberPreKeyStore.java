package org.sotto.protocol.state;

import java.util.List;
import org.sotto.protocol.InvalidKeyException;

/** Our Kyber prekeys (one-time and last-resort). Implementations say if thread-safe. */
public interface KyberPreKeyStore {
  /** Loads a Kyber prekey; an unknown id gives {@link InvalidKeyException}. */
  KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyException;

  /** All stored Kyber prekeys. */
  List<KyberPreKeyRecord> loadKyberPreKeys();

  /** Stores a Kyber prekey under its id. */
  void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record);

  /** Whether a Kyber prekey with this id is stored. */
  boolean containsKyberPreKey(int kyberPreKeyId);

  /** Called after a session used the key: deletes a one-time key, keeps a last-resort key. */
  void markKyberPreKeyUsed(int kyberPreKeyId);
}
