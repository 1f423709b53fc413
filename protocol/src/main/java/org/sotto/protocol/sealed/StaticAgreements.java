package org.sotto.protocol.sealed;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;

/**
 * A device's memo of the static layer's X25519 agreement (its identity key with a contact's): the
 * same 32 bytes for every sealed message between the two until one of them changes identity, yet
 * one scalar multiplication per message sent and per message received. With it, sealing costs the
 * ephemeral agreement only.
 *
 * <p>The agreements are secrets, kept only in memory and no more sensitive than the identity
 * private key they come from, which the device holds anyway. The memo is bounded (least recently
 * used out), wipes what it evicts, and {@link #close()} wipes everything; one belongs to one
 * device's client and lives as long as it. Keys are the two public keys, so a changed identity on
 * either side simply misses. Thread-safe.
 */
public final class StaticAgreements implements AutoCloseable {
  /**
   * Contacts whose agreement is kept: the ones a device writes to or hears from at a time; more
   * only recomputes (one scalar multiplication each).
   */
  public static final int CAPACITY = 256;

  private final Map<ByteBuffer, byte[]> agreements =
      new LinkedHashMap<>(CAPACITY * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
          if (size() > CAPACITY) {
            Arrays.fill(eldest.getValue(), (byte) 0);
            return true;
          }
          return false;
        }
      };

  private boolean closed;

  /**
   * The agreement of {@code ours} (whose public key is {@code ourPublic}) with {@code theirs}: a
   * fresh copy the caller may wipe.
   *
   * @throws InvalidKeyException {@code theirs} is a low-order point
   */
  byte[] agree(ECPrivateKey ours, ECPublicKey ourPublic, ECPublicKey theirs)
      throws InvalidKeyException {
    ByteBuffer key = ByteBuffer.allocate(2 * ECPublicKey.SERIALIZED_LENGTH);
    key.put(ourPublic.serialize()).put(theirs.serialize()).flip();
    synchronized (agreements) {
      byte[] known = agreements.get(key);
      if (known != null) {
        return known.clone();
      }
    }
    byte[] shared = ours.calculateAgreement(theirs);
    synchronized (agreements) {
      if (!closed) {
        agreements.put(key, shared.clone());
      }
    }
    return shared;
  }

  /** Agreements held now (tests). */
  int size() {
    synchronized (agreements) {
      return agreements.size();
    }
  }

  /** Wipes and forgets every agreement; later calls compute without keeping anything. */
  @Override
  public void close() {
    synchronized (agreements) {
      closed = true;
      for (byte[] shared : agreements.values()) {
        Arrays.fill(shared, (byte) 0);
      }
      agreements.clear();
    }
  }

  @Override
  public String toString() {
    return "StaticAgreements[" + size() + " held, redacted]";
  }
}
