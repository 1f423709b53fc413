package org.sotto.protocol.spqr;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.internal.proto.StorageProtos.PqChunkStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PqRatchetStructure;
import org.sotto.protocol.kem.IncrementalMlKem768;
import org.sotto.protocol.spqr.PqRatchetMessage.Type;

/**
 * The ML-KEM Braid's state machine (signal.org/docs/specifications/mlkembraid), as libsignal
 * 0.103.0 runs it on the wire. In each epoch one side (the initiator in odd epochs) sends an
 * ML-KEM-768 key in two parts, header then encapsulation key; the other encapsulates in two parts,
 * ct1 from the header alone and ct2 once the key is complete. Each value travels in Reed–Solomon
 * chunks, one per message, so any {@code k} chunks of a {@code k}-chunk value suffice. When the
 * epoch's secret is known to a side it enters the chain ({@link PqChain}); then the roles swap.
 *
 * <p>The sequence of one epoch, by message type:
 *
 * <ol>
 *   <li>the key side sends header chunks; the other sends {@code NONE};
 *   <li>with the header (and its MAC) complete, the other side encapsulates (the epoch secret is
 *       now known to it) and sends ct1 chunks;
 *   <li>at the first ct1 chunk the key side sends encapsulation-key chunks, as {@code
 *       ENCAPSULATION_KEY_CT1_ACK} once ct1 is complete;
 *   <li>with the key complete and ct1 acknowledged, the other side sends ct2 ‖ MAC chunks (and
 *       {@code NONE} while it waits for the key);
 *   <li>the key side answers with {@code CT1_ACK} until ct2 is complete, then decapsulates, checks
 *       the MAC and moves to the next epoch as the encapsulating side; the other side follows at
 *       the first message of that epoch.
 * </ol>
 *
 * <p>Works on the caller's record builder; not thread-safe.
 */
final class Braid {
  /** Header ‖ its MAC. */
  static final int HEADER_VALUE_LENGTH =
      IncrementalMlKem768.HEADER_LENGTH + BraidAuthenticator.LENGTH;

  /** ct2 ‖ the ciphertext MAC. */
  static final int CT2_VALUE_LENGTH = IncrementalMlKem768.CT2_LENGTH + BraidAuthenticator.LENGTH;

  /** The states, by their number in the record. */
  enum State {
    /** Key side; the key pair is not drawn yet. */
    KEYS_UNSAMPLED(1),
    /** Key side, sending header chunks. */
    HEADER_SENT(2),
    /** Key side, sending key chunks, receiving ct1. */
    CT1_RECEIVING(3),
    /** Key side, ct1 complete, sending key chunks with the acknowledgement. */
    EK_SENT_CT1_RECEIVED(4),
    /** Key side, receiving ct2. */
    CT2_RECEIVING(5),
    /** Encapsulating side, receiving the header. */
    NO_HEADER(6),
    /** Encapsulating side, header complete, ct1 not drawn yet. */
    HEADER_RECEIVED(7),
    /** Encapsulating side, sending ct1, receiving the key. */
    CT1_SAMPLED(8),
    /** Encapsulating side, sending ct2. */
    CT2_SAMPLED(9);

    final int number;

    State(int number) {
      this.number = number;
    }

    static State of(int number) throws InvalidMessageException {
      for (State s : values()) {
        if (s.number == number) {
          return s;
        }
      }
      throw new InvalidMessageException("unknown SPQR state " + number);
    }
  }

  private Braid() {}

  /** Whether the initiator sends the key in {@code epoch} (odd epochs). */
  static boolean initiatorSendsKey(long epoch) {
    return (epoch & 1) == 1;
  }

  /** Starts epoch {@code epoch} in the role it gives us. */
  static void enter(PqRatchetStructure.Builder s, long epoch) {
    boolean keySide = initiatorSendsKey(epoch) == s.getInitiator();
    s.setEpoch(epoch)
        .setState(keySide ? State.KEYS_UNSAMPLED.number : State.NO_HEADER.number)
        .clearHeader()
        .clearEncapsulationKey()
        .clearDecapsulationSeed()
        .clearEncapsulationSeed()
        .clearCt1()
        .clearOutgoing()
        .setNextChunk(0)
        .clearIncoming()
        .setCt1Acknowledged(false);
  }

  /** What our next message carries, advancing the state (drawing keys when it is time). */
  static PqRatchetMessage.Type next(PqRatchetStructure.Builder s, SecureRandom rng)
      throws InvalidMessageException {
    State state = State.of(s.getState());
    long epoch = s.getEpoch();
    switch (state) {
      case KEYS_UNSAMPLED -> {
        IncrementalMlKem768.KeyPair pair = IncrementalMlKem768.generateKeyPair(rng);
        byte[] header = pair.header();
        byte[] mac = BraidAuthenticator.macHeader(s.getAuthMac().toByteArray(), epoch, header);
        s.setHeader(ByteString.copyFrom(header))
            .setEncapsulationKey(ByteString.copyFrom(pair.encapsulationKey()))
            .setDecapsulationSeed(ByteString.copyFrom(pair.decapsulationSeed()))
            .setOutgoing(ByteString.copyFrom(concat(header, mac)))
            .setNextChunk(0)
            .setState(State.HEADER_SENT.number);
        return Type.HEADER;
      }
      case HEADER_SENT -> {
        return Type.HEADER;
      }
      case CT1_RECEIVING -> {
        return Type.ENCAPSULATION_KEY;
      }
      case EK_SENT_CT1_RECEIVED -> {
        return Type.ENCAPSULATION_KEY_CT1_ACK;
      }
      case CT2_RECEIVING -> {
        return Type.CT1_ACK;
      }
      case NO_HEADER -> {
        return Type.NONE;
      }
      case HEADER_RECEIVED -> {
        encapsulate1(s, rng);
        return Type.CT1;
      }
      case CT1_SAMPLED -> {
        if (!s.getCt1Acknowledged()) {
          return Type.CT1;
        }
        if (s.getEncapsulationKey().isEmpty()) {
          return Type.NONE;
        }
        encapsulate2(s);
        return Type.CT2;
      }
      case CT2_SAMPLED -> {
        return Type.CT2;
      }
      default -> throw new AssertionError(state);
    }
  }

  /** Draws {@code m}, computes ct1 and the epoch secret, and adds the epoch to the chain. */
  private static void encapsulate1(PqRatchetStructure.Builder s, SecureRandom rng)
      throws InvalidMessageException {
    long epoch = s.getEpoch();
    IncrementalMlKem768.FirstHalf half;
    try {
      half = IncrementalMlKem768.encapsulate1(s.getHeader().toByteArray(), rng);
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("SPQR header unusable", e);
    }
    byte[] secret = BraidAuthenticator.epochSecret(half.sharedSecret(), epoch);
    updateAuthenticator(s, epoch, secret);
    PqChain.add(s, epoch, secret);
    Arrays.fill(secret, (byte) 0);
    s.setEncapsulationSeed(ByteString.copyFrom(half.encapsulationSeed()))
        .setCt1(ByteString.copyFrom(half.ct1()))
        .setOutgoing(ByteString.copyFrom(half.ct1()))
        .setNextChunk(0)
        .setState(State.CT1_SAMPLED.number);
  }

  /** Computes ct2 and its MAC once the key is complete and ct1 acknowledged. */
  private static void encapsulate2(PqRatchetStructure.Builder s) throws InvalidMessageException {
    long epoch = s.getEpoch();
    byte[] ct1 = s.getCt1().toByteArray();
    byte[] ct2;
    try {
      ct2 =
          IncrementalMlKem768.encapsulate2(
              s.getHeader().toByteArray(),
              s.getEncapsulationKey().toByteArray(),
              s.getEncapsulationSeed().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("SPQR encapsulation key unusable", e);
    }
    byte[] mac = BraidAuthenticator.macCiphertext(s.getAuthMac().toByteArray(), epoch, ct1, ct2);
    s.clearEncapsulationSeed()
        .setOutgoing(ByteString.copyFrom(concat(ct2, mac)))
        .setNextChunk(0)
        .setState(State.CT2_SAMPLED.number);
  }

  /**
   * Takes in the peer's braid message of our epoch or the next. Older epochs carry nothing new and
   * are ignored.
   *
   * @throws InvalidMessageException a MAC or key check failed, or the epoch is out of sequence
   */
  static void receive(PqRatchetStructure.Builder s, PqRatchetMessage m)
      throws InvalidMessageException {
    long epoch = s.getEpoch();
    if (m.epoch() < epoch) {
      return;
    }
    State state = State.of(s.getState());
    if (m.epoch() > epoch) {
      if (m.epoch() == epoch + 1 && state == State.CT2_SAMPLED) {
        enter(s, epoch + 1); // the key side finished our ciphertext: our turn to send a key
        return; // its first messages of the new epoch carry nothing for us yet
      }
      throw new InvalidMessageException(
          "SPQR message of epoch " + m.epoch() + " while in epoch " + epoch);
    }
    switch (state) {
      case HEADER_SENT, CT1_RECEIVING -> {
        if (m.type() == Type.CT1) {
          if (state == State.HEADER_SENT) {
            // The peer has our header: on to the encapsulation key.
            s.setOutgoing(s.getEncapsulationKey()).setNextChunk(0);
            s.setState(State.CT1_RECEIVING.number);
          }
          byte[] ct1 = collect(s, m, IncrementalMlKem768.CT1_LENGTH);
          if (ct1 != null) {
            s.setCt1(ByteString.copyFrom(ct1)).setState(State.EK_SENT_CT1_RECEIVED.number);
          }
        }
      }
      case EK_SENT_CT1_RECEIVED, CT2_RECEIVING -> {
        if (m.type() == Type.CT2) {
          s.setState(State.CT2_RECEIVING.number);
          byte[] value = collect(s, m, CT2_VALUE_LENGTH);
          if (value != null) {
            decapsulate(s, value);
          }
        }
      }
      case NO_HEADER -> {
        if (m.type() == Type.HEADER) {
          byte[] value = collect(s, m, HEADER_VALUE_LENGTH);
          if (value != null) {
            byte[] header = Arrays.copyOf(value, IncrementalMlKem768.HEADER_LENGTH);
            byte[] mac = Arrays.copyOfRange(value, IncrementalMlKem768.HEADER_LENGTH, value.length);
            byte[] expected =
                BraidAuthenticator.macHeader(s.getAuthMac().toByteArray(), epoch, header);
            if (!BraidAuthenticator.matches(expected, mac)) {
              throw new InvalidMessageException("SPQR header MAC does not verify");
            }
            s.setHeader(ByteString.copyFrom(header)).setState(State.HEADER_RECEIVED.number);
          }
        }
      }
      case CT1_SAMPLED -> {
        if (m.type() == Type.ENCAPSULATION_KEY_CT1_ACK || m.type() == Type.CT1_ACK) {
          s.setCt1Acknowledged(true);
        }
        if ((m.type() == Type.ENCAPSULATION_KEY || m.type() == Type.ENCAPSULATION_KEY_CT1_ACK)
            && s.getEncapsulationKey().isEmpty()) {
          byte[] ek = collect(s, m, IncrementalMlKem768.ENCAPSULATION_KEY_LENGTH);
          if (ek != null) {
            checkKey(s, ek);
            s.setEncapsulationKey(ByteString.copyFrom(ek));
          }
        }
      }
      case KEYS_UNSAMPLED, HEADER_RECEIVED, CT2_SAMPLED -> {
        // nothing of this epoch is expected from the peer now
      }
      default -> throw new AssertionError(state);
    }
  }

  /**
   * Refuses an encapsulation key that does not match the header or is not reduced modulo q, when it
   * arrives rather than when ct2 is due (a send must not fail on the peer's data).
   */
  private static void checkKey(PqRatchetStructure.Builder s, byte[] ek)
      throws InvalidMessageException {
    try {
      IncrementalMlKem768.encapsulate2(
          s.getHeader().toByteArray(), ek, s.getEncapsulationSeed().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("SPQR encapsulation key refused", e);
    }
  }

  /** Decapsulates, checks the ciphertext MAC, adds the epoch and moves to the next one. */
  private static void decapsulate(PqRatchetStructure.Builder s, byte[] value)
      throws InvalidMessageException {
    long epoch = s.getEpoch();
    byte[] ct1 = s.getCt1().toByteArray();
    byte[] ct2 = Arrays.copyOf(value, IncrementalMlKem768.CT2_LENGTH);
    byte[] mac = Arrays.copyOfRange(value, IncrementalMlKem768.CT2_LENGTH, value.length);
    byte[] shared;
    try {
      shared = IncrementalMlKem768.decapsulate(s.getDecapsulationSeed().toByteArray(), ct1, ct2);
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("SPQR decapsulation key unusable", e);
    }
    byte[] secret = BraidAuthenticator.epochSecret(shared, epoch);
    Arrays.fill(shared, (byte) 0);
    updateAuthenticator(s, epoch, secret);
    byte[] expected =
        BraidAuthenticator.macCiphertext(s.getAuthMac().toByteArray(), epoch, ct1, ct2);
    if (!BraidAuthenticator.matches(expected, mac)) {
      throw new InvalidMessageException("SPQR ciphertext MAC does not verify");
    }
    PqChain.add(s, epoch, secret);
    Arrays.fill(secret, (byte) 0);
    enter(s, epoch + 1);
  }

  private static void updateAuthenticator(PqRatchetStructure.Builder s, long epoch, byte[] key) {
    byte[][] keys = BraidAuthenticator.update(s.getAuthRoot().toByteArray(), epoch, key);
    s.setAuthRoot(ByteString.copyFrom(keys[0])).setAuthMac(ByteString.copyFrom(keys[1]));
  }

  /**
   * Adds the message's chunk to the value being received; returns the value once enough chunks have
   * arrived (and forgets the chunks), else null.
   */
  private static byte[] collect(PqRatchetStructure.Builder s, PqRatchetMessage m, int length)
      throws InvalidMessageException {
    Map<Integer, byte[]> chunks = new HashMap<>();
    for (PqChunkStructure c : s.getIncomingList()) {
      chunks.put(c.getIndex(), c.getChunk().toByteArray());
    }
    if (chunks.containsKey(m.chunkIndex())) {
      return null; // a repeated chunk adds nothing
    }
    chunks.put(m.chunkIndex(), m.chunk());
    if (chunks.size() * PqRatchetMessage.CHUNK_LENGTH < length) {
      s.addIncoming(
          PqChunkStructure.newBuilder()
              .setIndex(m.chunkIndex())
              .setChunk(ByteString.copyFrom(m.chunk())));
      return null;
    }
    s.clearIncoming();
    return ReedSolomon16.decode(chunks, length);
  }

  /**
   * The next chunk of the value we are sending. Numbers run past the data chunks into redundancy
   * chunks, and start over after the last one the code has.
   */
  static Chunk nextChunk(PqRatchetStructure.Builder s) {
    int n = s.getNextChunk();
    byte[] chunk = ReedSolomon16.chunk(s.getOutgoing().toByteArray(), n);
    s.setNextChunk(n == PqRatchetMessage.MAX_CHUNK_INDEX ? 0 : n + 1);
    return new Chunk(n, chunk);
  }

  /** A chunk and its number. */
  record Chunk(int index, byte[] bytes) {}

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
