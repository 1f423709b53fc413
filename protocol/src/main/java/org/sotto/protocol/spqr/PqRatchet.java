package org.sotto.protocol.spqr;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.Objects;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.internal.proto.StorageProtos.PqRatchetStructure;

/**
 * SPQR, the post-quantum ratchet beside the Double Ratchet (libsignal 0.92 and later require it):
 * every message carries a {@code pq_ratchet} field ({@link PqRatchetMessage}) and its message keys
 * are derived with an SPQR key as the HKDF salt. The keys come from a symmetric chain ({@link
 * PqChain}) that the ML-KEM Braid ({@link Braid}) re-keys with a fresh ML-KEM-768 secret every
 * epoch. A message of epoch {@code e} with index {@code n} uses key {@code n} of the chain's epoch
 * {@code e − 1}; index 0 means no key (libsignal 0.90 sends its first messages so, readable by a
 * peer without SPQR).
 *
 * <p>The state lives in the session record ({@code PqRatchetStructure}); these functions work on
 * the caller's copy, which the caller keeps only when the whole message checks out. Stateless and
 * thread-safe; the builders passed in are not.
 */
public final class PqRatchet {
  /** Bytes of the PQXDH SPQR key and of each message's SPQR key. */
  public static final int KEY_LENGTH = 32;

  /** The epoch a session starts in; the chain's epoch 0 comes from PQXDH. */
  static final long FIRST_EPOCH = 1;

  private PqRatchet() {}

  /**
   * A new state from the PQXDH SPQR key (bytes 64–96 of the PQXDH output).
   *
   * @param initiator whether we sent the session's first message
   */
  public static PqRatchetStructure start(byte[] authKey, boolean initiator) {
    Objects.requireNonNull(authKey, "authKey");
    if (authKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("the SPQR key must be " + KEY_LENGTH + " bytes");
    }
    PqRatchetStructure.Builder s = PqRatchetStructure.newBuilder().setInitiator(initiator);
    byte[][] auth =
        BraidAuthenticator.update(new byte[BraidAuthenticator.LENGTH], FIRST_EPOCH, authKey);
    s.setAuthRoot(ByteString.copyFrom(auth[0])).setAuthMac(ByteString.copyFrom(auth[1]));
    PqChain.start(s, authKey);
    Braid.enter(s, FIRST_EPOCH);
    return s.build();
  }

  /**
   * Checks a stored state (record parsing): lengths, limits, and that its state has the parts it
   * needs.
   *
   * @throws InvalidRecordException the state is damaged
   */
  public static void check(PqRatchetStructure s) throws InvalidRecordException {
    PqRecordCheck.check(s);
  }

  /**
   * The {@code pq_ratchet} field and SPQR key (null: none) of our next message, advancing {@code
   * s}.
   *
   * @throws InvalidMessageException the stored state is unusable (a corrupt record)
   */
  public static Sent send(PqRatchetStructure.Builder s, SecureRandom rng)
      throws InvalidMessageException {
    Objects.requireNonNull(rng, "rng");
    PqRatchetMessage.Type type = Braid.next(s, rng);
    long epoch = s.getEpoch();
    // Until the responder has answered with SPQR, the initiator's messages carry no key (index
    // 0): a responder without SPQR can read them, and answering without SPQR downgrades the
    // session. PQXDH's ML-KEM already protects them.
    boolean keyless = s.getInitiator() && !s.getEstablished();
    PqChain.Key key = keyless ? null : PqChain.send(s, epoch - 1);
    int index = key == null ? 0 : key.index();
    PqRatchetMessage m;
    if (type.hasChunk()) {
      Braid.Chunk chunk = Braid.nextChunk(s);
      m = new PqRatchetMessage(epoch, index, type, chunk.index(), chunk.bytes());
    } else {
      m = new PqRatchetMessage(epoch, index, type, -1, null);
    }
    return new Sent(m.serialize(), key == null ? null : key.key());
  }

  /**
   * The SPQR key of the peer's message {@code m} (null for index 0), taken from the chain. Call
   * {@link #advance} once the message's MAC has verified; both work on a copy that is dropped if
   * anything fails.
   *
   * @throws InvalidMessageException the message names an unknown epoch, or is too far ahead, or has
   *     no key where one is required
   * @throws DuplicateMessageException the message's key was already used
   */
  public static byte[] receiveKey(PqRatchetStructure.Builder s, PqRatchetMessage m)
      throws InvalidMessageException, DuplicateMessageException {
    if (m.epoch() < FIRST_EPOCH) {
      throw new InvalidMessageException("SPQR epoch 0 carries no messages");
    }
    if (m.index() != 0) {
      return PqChain.receive(s, m.epoch() - 1, m.index());
    }
    if (m.epoch() != FIRST_EPOCH || s.getInitiator()) {
      throw new InvalidMessageException(
          "an SPQR message without a key, other than the initiator's first ones");
    }
    return null;
  }

  /**
   * Takes the braid data of the peer's authenticated message {@code m} in, and records that the
   * peer runs SPQR (no downgrade after this).
   *
   * @throws InvalidMessageException a braid check failed (header or ciphertext MAC, key) or the
   *     epoch is out of sequence
   */
  public static void advance(PqRatchetStructure.Builder s, PqRatchetMessage m)
      throws InvalidMessageException {
    Braid.receive(s, m);
    s.setEstablished(true);
  }

  /**
   * Our next message's {@code pq_ratchet} field and the SPQR key that salts its message keys.
   * {@link #toString()} omits the key.
   *
   * @param field the serialized {@link PqRatchetMessage}
   * @param key {@value #KEY_LENGTH} bytes, secret; null for a message without a key (index 0)
   */
  public record Sent(byte[] field, byte[] key) {
    @Override
    public String toString() {
      return "Sent[field=" + field.length + " bytes, key=redacted]";
    }
  }
}
