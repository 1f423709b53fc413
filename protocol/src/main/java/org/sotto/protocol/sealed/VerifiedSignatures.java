package org.sotto.protocol.sealed;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sotto.protocol.ecc.ECPublicKey;

/**
 * The certificate signatures that verified lately, so that verifying the same signature again costs
 * a hash instead of two scalar multiplications: every sealed-sender message carries its sender's
 * certificate, whose two signatures (the server's and the trust root's) are the same for every
 * message of that sender until the certificate is renewed. Only certificates use it: other
 * signatures (group messages) are never repeated and would only push these out.
 *
 * <p>An entry is the SHA-256 of the public key, the message and the signature, each
 * length-prefixed, and is added only after a verification succeeded: a hit means exactly these
 * bytes verified before, so the answer is the same. Failures are never remembered (a forged
 * signature costs its verifier the full check every time and cannot evict anything but old
 * successes). Everything here is public data. Thread-safe.
 */
final class VerifiedSignatures {
  /**
   * Remembered verifications: a client sees a handful of certificates at a time (one per contact
   * that writes to it, plus the server certificates), so 256 keeps all the current ones in a busy
   * group while bounding memory to about 16 KiB.
   */
  static final int CAPACITY = 256;

  private static final Map<ByteBuffer, Boolean> VERIFIED =
      new LinkedHashMap<>(CAPACITY * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
          return size() > CAPACITY;
        }
      };

  private VerifiedSignatures() {}

  /**
   * Whether {@code signature} by {@code signer} over {@code message} verifies: from memory when
   * these exact bytes verified lately, else checked (and remembered if valid).
   */
  static boolean verify(ECPublicKey signer, byte[] message, byte[] signature) {
    if (message == null || signature == null) {
      return false;
    }
    ByteBuffer key = key(signer.serialize(), message, signature);
    if (contains(key)) {
      return true;
    }
    boolean valid = signer.verifySignature(message, signature);
    if (valid) {
      add(key);
    }
    return valid;
  }

  /** The entry for one verification: a digest of its three inputs. */
  static ByteBuffer key(byte[] publicKey, byte[] message, byte[] signature) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is part of every JDK", e);
    }
    for (byte[] part : new byte[][] {publicKey, message, signature}) {
      sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
      sha256.update(part);
    }
    return ByteBuffer.wrap(sha256.digest());
  }

  /** Whether the verification named by {@code key} succeeded lately. */
  static boolean contains(ByteBuffer key) {
    synchronized (VERIFIED) {
      return VERIFIED.get(key) != null;
    }
  }

  /** Remembers that the verification named by {@code key} succeeded. */
  static void add(ByteBuffer key) {
    synchronized (VERIFIED) {
      VERIFIED.put(key, Boolean.TRUE);
    }
  }

  /** Forgets everything (tests). */
  static void clear() {
    synchronized (VERIFIED) {
      VERIFIED.clear();
    }
  }

  /** Remembered verifications now (tests). */
  static int size() {
    synchronized (VERIFIED) {
      return VERIFIED.size();
    }
  }
}
