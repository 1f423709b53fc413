package org.sotto.protocol.ratchet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.kdf.Hkdf;

/**
 * The keys for one message: AES-256 key, HMAC-SHA256 key and CBC IV, derived from a chain's
 * message-key seed with {@code HKDF(salt = the SPQR key or none, ikm = seed, info =
 * "WhisperMessageKeys", 80)}. Immutable and thread-safe; {@link #toString()} never prints the keys.
 */
public final class MessageKeys {
  /** Length of the derived key material: cipher key 32 ‖ MAC key 32 ‖ IV 16. */
  public static final int DERIVED_LENGTH =
      Crypto.AES_KEY_LENGTH + Crypto.HMAC_LENGTH + Crypto.AES_IV_LENGTH;

  private static final byte[] INFO = "WhisperMessageKeys".getBytes(StandardCharsets.US_ASCII);

  private final byte[] cipherKey;
  private final byte[] macKey;
  private final byte[] iv;
  private final int counter;

  private MessageKeys(byte[] cipherKey, byte[] macKey, byte[] iv, int counter) {
    this.cipherKey = cipherKey;
    this.macKey = macKey;
    this.iv = iv;
    this.counter = counter;
  }

  /** Derives the message keys for {@code counter} from its 32-byte seed (no SPQR). */
  public static MessageKeys derive(byte[] seed, int counter) {
    return derive(seed, null, counter);
  }

  /**
   * Derives the message keys for {@code counter} from its 32-byte seed, salted with the message's
   * SPQR key ({@code null}: none).
   */
  public static MessageKeys derive(byte[] seed, byte[] pqKey, int counter) {
    byte[] okm = Hkdf.deriveSecrets(seed, pqKey, INFO, DERIVED_LENGTH);
    return new MessageKeys(
        Arrays.copyOfRange(okm, 0, 32),
        Arrays.copyOfRange(okm, 32, 64),
        Arrays.copyOfRange(okm, 64, DERIVED_LENGTH),
        counter);
  }

  /** The AES-256 key (a copy). */
  public byte[] cipherKey() {
    return cipherKey.clone();
  }

  /** The HMAC-SHA256 key (a copy). */
  public byte[] macKey() {
    return macKey.clone();
  }

  /** The CBC IV (a copy). */
  public byte[] iv() {
    return iv.clone();
  }

  /** The chain index these keys belong to. */
  public int counter() {
    return counter;
  }

  @Override
  public String toString() {
    return "MessageKeys[counter=" + counter + ", keys=redacted]";
  }
}
