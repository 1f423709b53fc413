package org.sotto.protocol.spqr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.kdf.Hkdf;

/**
 * The ML-KEM Braid's authenticator: a root key and a MAC key, updated with the PQXDH SPQR key at
 * the start and with each epoch's secret, that MAC the header and the ciphertext so a party accepts
 * only what the holder of the session's secrets sent. Established against libsignal 0.103.0
 * (docs/spqr.md):
 *
 * <ul>
 *   <li>update: {@code root ‖ mac = HKDF(salt = none, ikm = root ‖ key, info = P ‖ ":Authenticator
 *       Update" ‖ be64(epoch), 64)}, the first root being 32 zero bytes and the first update {@code
 *       (1, SPQR key)};
 *   <li>header MAC: {@code HMAC-SHA256(mac, P ‖ ":ekheader" ‖ be64(epoch) ‖ header)};
 *   <li>ciphertext MAC: {@code HMAC-SHA256(mac, P ‖ ":ciphertext" ‖ be64(epoch) ‖ ct1 ‖ ct2)},
 * </ul>
 *
 * <p>with {@code P = "Signal_PQCKA_V1_MLKEM768"}. Stateless; the keys live in the caller's record.
 */
final class BraidAuthenticator {
  /** Bytes of each key and of each MAC. */
  static final int LENGTH = 32;

  static final String PROTOCOL_INFO = "Signal_PQCKA_V1_MLKEM768";

  private static final byte[] UPDATE = info(":Authenticator Update");
  private static final byte[] HEADER = info(":ekheader");
  private static final byte[] CIPHERTEXT = info(":ciphertext");
  private static final byte[] EPOCH_SECRET = info(":SCKA Key");

  private BraidAuthenticator() {}

  /** The (root, MAC key) pair after updating {@code root} with {@code key} in {@code epoch}. */
  static byte[][] update(byte[] root, long epoch, byte[] key) {
    byte[] ikm = new byte[root.length + key.length];
    System.arraycopy(root, 0, ikm, 0, root.length);
    System.arraycopy(key, 0, ikm, root.length, key.length);
    byte[] okm = Hkdf.deriveSecrets(ikm, null, withEpoch(UPDATE, epoch), 2 * LENGTH);
    Arrays.fill(ikm, (byte) 0);
    return new byte[][] {Arrays.copyOf(okm, LENGTH), Arrays.copyOfRange(okm, LENGTH, 2 * LENGTH)};
  }

  /** The MAC of an epoch's 64-byte ML-KEM header. */
  static byte[] macHeader(byte[] macKey, long epoch, byte[] header) {
    return Crypto.hmacSha256(macKey, withEpoch(HEADER, epoch), header);
  }

  /** The MAC of an epoch's ciphertext. */
  static byte[] macCiphertext(byte[] macKey, long epoch, byte[] ct1, byte[] ct2) {
    return Crypto.hmacSha256(macKey, withEpoch(CIPHERTEXT, epoch), ct1, ct2);
  }

  /**
   * The epoch secret from the ML-KEM shared secret: {@code HKDF(none, K, P ‖ ":SCKA Key" ‖
   * be64(epoch), 32)}.
   */
  static byte[] epochSecret(byte[] sharedSecret, long epoch) {
    return Hkdf.deriveSecrets(sharedSecret, null, withEpoch(EPOCH_SECRET, epoch), LENGTH);
  }

  /** Whether {@code mac} is {@code expected}, in constant time. */
  static boolean matches(byte[] expected, byte[] mac) {
    return Crypto.constantTimeEquals(expected, mac);
  }

  private static byte[] info(String label) {
    return (PROTOCOL_INFO + label).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] withEpoch(byte[] label, long epoch) {
    return ByteBuffer.allocate(label.length + Long.BYTES).put(label).putLong(epoch).array();
  }
}
