package org.sotto.protocol.groups;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.kdf.Hkdf;

/**
 * The keys for one group message: {@code HKDF(salt = none, ikm = seed, info = "WhisperGroup", 48)}
 * → IV [0..16] ‖ AES-256 key [16..48]. The order is the reverse of the 1:1 message keys, as in
 * libsignal. Immutable and thread-safe; {@link #toString()} never prints the keys.
 */
final class SenderMessageKey {
  private static final byte[] INFO = "WhisperGroup".getBytes(StandardCharsets.US_ASCII);
  private static final int DERIVED_LENGTH = Crypto.AES_IV_LENGTH + Crypto.AES_KEY_LENGTH;

  private final int iteration;
  private final byte[] iv;
  private final byte[] cipherKey;

  private SenderMessageKey(int iteration, byte[] iv, byte[] cipherKey) {
    this.iteration = iteration;
    this.iv = iv;
    this.cipherKey = cipherKey;
  }

  /** Derives the keys for {@code iteration} from its 32-byte seed {@code HMAC(CK, 0x01)}. */
  static SenderMessageKey derive(int iteration, byte[] seed) {
    byte[] okm = Hkdf.deriveSecrets(seed, null, INFO, DERIVED_LENGTH);
    byte[] iv = Arrays.copyOfRange(okm, 0, Crypto.AES_IV_LENGTH);
    byte[] key = Arrays.copyOfRange(okm, Crypto.AES_IV_LENGTH, DERIVED_LENGTH);
    Arrays.fill(okm, (byte) 0);
    return new SenderMessageKey(iteration, iv, key);
  }

  int iteration() {
    return iteration;
  }

  byte[] iv() {
    return iv.clone();
  }

  byte[] cipherKey() {
    return cipherKey.clone();
  }

  @Override
  public String toString() {
    return "SenderMessageKey[iteration=" + iteration + ", keys=redacted]";
  }
}
