package org.sotto.server.store;

import java.util.List;
import java.util.Optional;
import org.sotto.api.Address;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.PreKeyCount;
import org.sotto.api.dto.SignedPreKey;

/** Prekeys of devices. Thread-safe; writes are durable when they return. */
public interface KeyStore {
  /** One device's bundle as taken: the one-time keys in it are already consumed. */
  record TakenKeys(PreKey preKey, KyberPreKey kyberPreKey) {}

  /**
   * Adds one-time prekeys (replacing ones with the same id) and, when non-null, replaces the signed
   * and last-resort prekeys; all in one transaction.
   */
  void upload(
      Address device,
      List<PreKey> preKeys,
      List<KyberPreKey> kyberPreKeys,
      SignedPreKey signedPreKey,
      KyberPreKey lastResortKyberPreKey);

  /** How many one-time keys of each kind the device has left. */
  PreKeyCount count(Address device);

  /**
   * Atomically takes one one-time EC prekey (null when none is left) and one one-time Kyber prekey
   * (the device's last-resort Kyber key when none is left); empty if the device does not exist.
   */
  Optional<TakenKeys> take(Address device);
}
