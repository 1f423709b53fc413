package org.sotto.protocol.util;

import java.security.SecureRandom;
import java.time.Instant;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.kem.KEMKeyPair;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;

/** Generates the keys a device publishes. Stateless and thread-safe. */
public final class KeyHelper {
  /** Registration ids are 14-bit values, as in libsignal. */
  public static final int MAX_REGISTRATION_ID = 0x3FFF;

  private KeyHelper() {}

  /** A random registration id in 1..{@link #MAX_REGISTRATION_ID}. */
  public static int generateRegistrationId(SecureRandom rng) {
    return 1 + rng.nextInt(MAX_REGISTRATION_ID);
  }

  /** A one-time prekey. */
  public static PreKeyRecord generatePreKey(int id, SecureRandom rng) {
    return new PreKeyRecord(id, ECKeyPair.generate(rng));
  }

  /** A signed prekey: the identity signs its 33-byte serialization. */
  public static SignedPreKeyRecord generateSignedPreKey(
      IdentityKeyPair identity, int id, Instant now, SecureRandom rng) {
    ECKeyPair pair = ECKeyPair.generate(rng);
    byte[] signature = identity.sign(pair.publicKey().serialize(), rng);
    return new SignedPreKeyRecord(id, now.toEpochMilli(), pair, signature);
  }

  /** A Kyber-1024 prekey: the identity signs its 1,569-byte serialization. */
  public static KyberPreKeyRecord generateKyberPreKey(
      IdentityKeyPair identity, int id, boolean lastResort, Instant now, SecureRandom rng) {
    KEMKeyPair pair = KEMKeyPair.generate(rng);
    byte[] signature = identity.sign(pair.publicKey().serialize(), rng);
    return new KyberPreKeyRecord(id, now.toEpochMilli(), pair, signature, lastResort);
  }
}
