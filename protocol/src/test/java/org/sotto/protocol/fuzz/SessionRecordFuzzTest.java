package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.StorageProtos.MessageKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.ReceiverChainStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SessionRecordStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SessionStructure;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SessionState;

/**
 * {@link SessionRecord#fromBytes} on arbitrary bytes: it accepts or throws {@link
 * InvalidRecordException}, and a record it accepts serializes to bytes that parse to the same
 * record, and every getter of every state works (the record's validation is what {@link
 * SessionState}'s getters rely on).
 */
class SessionRecordFuzzTest {

  @FuzzTest
  void fromBytes_anyBytes_yieldsUsableRecordOrThrowsInvalidRecord(byte[] input) {
    SessionRecord record;
    try {
      record = SessionRecord.fromBytes(input);
    } catch (InvalidRecordException e) {
      return;
    }
    byte[] serialized = record.serialize();
    SessionRecord reparsed = reparse(serialized);
    assertArrayEquals(serialized, reparsed.serialize(), "serialize() is not a fixed point");
    assertArrayEquals(serialized, record.copy().serialize());

    // The getters below are driven by what the record holds; read the structure to know it.
    SessionRecordStructure structure = structure(serialized);
    assertEquals(structure.hasCurrent(), record.hasCurrentState());
    if (record.hasCurrentState()) {
      assertStateUsable(record.currentState(), structure.getCurrent());
    }
    List<SessionState> previous = record.previousStates();
    assertEquals(structure.getPreviousCount(), previous.size());
    assertEquals(previous.size(), record.previousStateCount());
    assertTrue(previous.size() <= SessionRecord.MAX_ARCHIVED_STATES);
    for (int i = 0; i < previous.size(); i++) {
      assertStateUsable(previous.get(i), structure.getPrevious(i));
    }
    assertNotNull(record.toString());
  }

  /** Every getter answers (none throws) and the state on its own makes a record that parses. */
  private static void assertStateUsable(SessionState state, SessionStructure structure) {
    assertEquals(33, state.localIdentityKey().serialize().length);
    assertEquals(33, state.remoteIdentityKey().serialize().length);
    assertEquals(32, state.rootKey().key().length);
    byte[] baseKey = state.aliceBaseKey();
    assertTrue(baseKey.length == 0 || baseKey.length == 33, "base key of " + baseKey.length);
    if (state.hasSenderChain()) {
      assertEquals(state.senderRatchetKey(), state.senderRatchetKeyPair().publicKey());
      assertEquals(32, state.senderChainKey().key().length);
    }
    state.unacknowledgedPreKeyMessage().ifPresent(p -> assertNotNull(p.baseKey()));
    for (ReceiverChainStructure chain : structure.getReceiverChainsList()) {
      ECPublicKey ratchetKey = publicKey(chain.getRatchetPublic().toByteArray());
      assertNotNull(state.receiverChainKey(ratchetKey), "receiver chain not found by its key");
      for (MessageKeyStructure skipped : chain.getSkippedList()) {
        // Only that it answers: with two chains under one key (never written by us) it may not find
        // it.
        state.hasMessageKeySeed(ratchetKey, skipped.getIndex());
      }
    }
    reparse(SessionRecord.of(state.copy()).serialize());
    assertNotNull(state.toString());
  }

  private static SessionRecord reparse(byte[] serialized) {
    try {
      return SessionRecord.fromBytes(serialized);
    } catch (InvalidRecordException e) {
      throw new AssertionError("a record we serialized does not parse", e);
    }
  }

  private static SessionRecordStructure structure(byte[] serialized) {
    try {
      return SessionRecordStructure.parseFrom(serialized);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static ECPublicKey publicKey(byte[] serialized) {
    try {
      return ECPublicKey.fromBytes(serialized);
    } catch (InvalidKeyException e) {
      throw new AssertionError("record validation let an unparsable key through", e);
    }
  }
}
