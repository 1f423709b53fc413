package org.sotto.protocol.spqr;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.Set;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.internal.proto.StorageProtos.PqChunkStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PqEpochStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PqRatchetStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PqSkippedKeyStructure;
import org.sotto.protocol.kem.IncrementalMlKem768;

/**
 * Checks a stored SPQR state when its record is parsed, so that a damaged record fails there with
 * {@link InvalidRecordException} rather than later, inside an encryption. Stateless.
 */
final class PqRecordCheck {
  private static final int KEY = 32;

  /** The most chunks a value being received can wait in: the encapsulation key's 36. */
  private static final int MAX_INCOMING =
      IncrementalMlKem768.ENCAPSULATION_KEY_LENGTH / PqRatchetMessage.CHUNK_LENGTH;

  private PqRecordCheck() {}

  static void check(PqRatchetStructure s) throws InvalidRecordException {
    length(s.getAuthRoot(), KEY, "authenticator root");
    length(s.getAuthMac(), KEY, "authenticator MAC key");
    length(s.getChainRoot(), KEY, "chain root");
    if (s.getEpoch() < PqRatchet.FIRST_EPOCH) {
      throw new InvalidRecordException("SPQR epoch out of range");
    }
    if (s.getChainCount() == 0 || s.getChainCount() > PqChain.MAX_EPOCHS) {
      throw new InvalidRecordException("SPQR chain has a wrong number of epochs");
    }
    boolean sendable = false;
    long previous = -1;
    for (PqEpochStructure e : s.getChainList()) {
      if (e.getEpoch() <= previous) {
        throw new InvalidRecordException("SPQR chain epochs out of order");
      }
      previous = e.getEpoch();
      sendable |= e.getEpoch() == s.getEpoch() - 1;
      length(e.getSend().getNext(), KEY, "SPQR sending chain");
      length(e.getReceive().getNext(), KEY, "SPQR receiving chain");
      if (e.getSkippedCount() > PqChain.MAX_SKIPPED_KEYS) {
        throw new InvalidRecordException("too many skipped SPQR keys");
      }
      for (PqSkippedKeyStructure k : e.getSkippedList()) {
        length(k.getKey(), KEY, "skipped SPQR key");
      }
    }
    if (!sendable) {
      throw new InvalidRecordException("SPQR chain lacks the epoch its messages use");
    }
    Braid.State state;
    try {
      state = Braid.State.of(s.getState());
    } catch (InvalidMessageException e) {
      throw new InvalidRecordException(e.getMessage());
    }
    optional(s.getHeader(), IncrementalMlKem768.HEADER_LENGTH, "SPQR header");
    optional(s.getEncapsulationKey(), IncrementalMlKem768.ENCAPSULATION_KEY_LENGTH, "SPQR key");
    optional(s.getDecapsulationSeed(), IncrementalMlKem768.DECAPSULATION_SEED_LENGTH, "SPQR seed");
    optional(s.getEncapsulationSeed(), IncrementalMlKem768.ENCAPSULATION_SEED_LENGTH, "SPQR coins");
    optional(s.getCt1(), IncrementalMlKem768.CT1_LENGTH, "SPQR ct1");
    int out = s.getOutgoing().size();
    boolean outgoingOk =
        switch (state) {
          case KEYS_UNSAMPLED, NO_HEADER, HEADER_RECEIVED -> true;
          case HEADER_SENT -> out == Braid.HEADER_VALUE_LENGTH;
          case CT1_RECEIVING, EK_SENT_CT1_RECEIVED, CT2_RECEIVING ->
              out == IncrementalMlKem768.ENCAPSULATION_KEY_LENGTH;
          case CT1_SAMPLED -> out == IncrementalMlKem768.CT1_LENGTH;
          case CT2_SAMPLED -> out == Braid.CT2_VALUE_LENGTH;
        };
    boolean partsOk =
        switch (state) {
          case KEYS_UNSAMPLED, NO_HEADER, CT2_SAMPLED -> true;
          case HEADER_SENT, CT1_RECEIVING ->
              !s.getHeader().isEmpty()
                  && !s.getEncapsulationKey().isEmpty()
                  && !s.getDecapsulationSeed().isEmpty();
          case EK_SENT_CT1_RECEIVED, CT2_RECEIVING ->
              !s.getDecapsulationSeed().isEmpty() && !s.getCt1().isEmpty();
          case HEADER_RECEIVED -> !s.getHeader().isEmpty();
          case CT1_SAMPLED ->
              !s.getHeader().isEmpty()
                  && !s.getEncapsulationSeed().isEmpty()
                  && !s.getCt1().isEmpty();
        };
    if (!outgoingOk || !partsOk) {
      throw new InvalidRecordException("SPQR state " + state + " is incomplete");
    }
    if (s.getNextChunk() > PqRatchetMessage.MAX_CHUNK_INDEX
        || s.getIncomingCount() > MAX_INCOMING) {
      throw new InvalidRecordException("SPQR chunk bookkeeping out of range");
    }
    Set<Integer> seen = new HashSet<>();
    for (PqChunkStructure c : s.getIncomingList()) {
      length(c.getChunk(), PqRatchetMessage.CHUNK_LENGTH, "SPQR chunk");
      if (c.getIndex() > PqRatchetMessage.MAX_CHUNK_INDEX || !seen.add(c.getIndex())) {
        throw new InvalidRecordException("SPQR chunk number out of range or repeated");
      }
    }
  }

  private static void length(ByteString b, int length, String what) throws InvalidRecordException {
    if (b.size() != length) {
      throw new InvalidRecordException(what + " has the wrong length");
    }
  }

  private static void optional(ByteString b, int length, String what)
      throws InvalidRecordException {
    if (!b.isEmpty()) {
      length(b, length, what);
    }
  }
}
