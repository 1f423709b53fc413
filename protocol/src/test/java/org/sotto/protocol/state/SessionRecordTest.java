package org.sotto.protocol.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.internal.proto.StorageProtos.SessionRecordStructure;

class SessionRecordTest {
  private final SecureRandom rng = new SecureRandom();

  private SessionRecord establishedRecord(TestParty alice, TestParty bob) throws Exception {
    alice.startSessionWith(bob, true);
    bob.decrypt(alice, alice.encrypt(bob, "one"));
    alice.decrypt(bob, bob.encrypt(alice, "two"));
    return alice.store.loadSession(bob.address);
  }

  @Test
  void serialize_roundTrip_isByteIdenticalAndKeepsState() throws Exception {
    TestParty alice = new TestParty(rng);
    TestParty bob = new TestParty(rng);
    SessionRecord record = establishedRecord(alice, bob);
    byte[] bytes = record.serialize();
    SessionRecord parsed = SessionRecord.fromBytes(bytes);
    assertArrayEquals(bytes, parsed.serialize());
    assertEquals(
        record.currentState().remoteIdentityKey(), parsed.currentState().remoteIdentityKey());
    assertEquals(record.currentState().rootKey(), parsed.currentState().rootKey());
    assertEquals(record.currentState().senderChainKey(), parsed.currentState().senderChainKey());
  }

  @Test
  void fromBytes_unknownFormatVersion_throwsInvalidRecord() throws Exception {
    TestParty alice = new TestParty(rng);
    TestParty bob = new TestParty(rng);
    byte[] bytes = establishedRecord(alice, bob).serialize();
    byte[] future =
        SessionRecordStructure.parseFrom(bytes).toBuilder()
            .setFormatVersion(SessionRecord.FORMAT_VERSION + 1)
            .build()
            .toByteArray();
    assertThrows(InvalidRecordException.class, () -> SessionRecord.fromBytes(future));
  }

  @Test
  void fromBytes_truncatedKey_throwsInvalidRecord() throws Exception {
    TestParty alice = new TestParty(rng);
    TestParty bob = new TestParty(rng);
    SessionRecordStructure s =
        SessionRecordStructure.parseFrom(establishedRecord(alice, bob).serialize());
    byte[] bad =
        s.toBuilder()
            .setCurrent(s.getCurrent().toBuilder().setRootKey(ByteString.copyFrom(new byte[31])))
            .build()
            .toByteArray();
    assertThrows(InvalidRecordException.class, () -> SessionRecord.fromBytes(bad));
    assertThrows(InvalidRecordException.class, () -> SessionRecord.fromBytes(new byte[] {0x0a}));
  }

  @Test
  void promoteState_beyondLimit_keepsNewestArchivedStates() throws Exception {
    TestParty alice = new TestParty(rng);
    TestParty bob = new TestParty(rng);
    for (int i = 0; i < SessionRecord.MAX_ARCHIVED_STATES + 3; i++) {
      alice.startSessionWith(bob, false);
    }
    SessionRecord record = alice.store.loadSession(bob.address);
    assertTrue(record.hasCurrentState());
    assertEquals(SessionRecord.MAX_ARCHIVED_STATES, record.previousStateCount());
  }

  @Test
  void emptyRecord_roundTrip_hasNoState() throws Exception {
    SessionRecord parsed = SessionRecord.fromBytes(new SessionRecord().serialize());
    assertFalse(parsed.hasCurrentState());
    assertEquals(0, parsed.previousStateCount());
  }

  @Test
  void toString_containsNoKeyMaterial() throws Exception {
    TestParty alice = new TestParty(rng);
    TestParty bob = new TestParty(rng);
    SessionRecord record = establishedRecord(alice, bob);
    String text = record + " " + record.currentState();
    assertFalse(text.matches(".*[0-9a-f]{16}.*"), text);
  }
}
