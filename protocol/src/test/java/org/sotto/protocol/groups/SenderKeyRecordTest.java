package org.sotto.protocol.groups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.internal.proto.GroupProtos.SenderKeyRecordStructure;
import org.sotto.protocol.internal.proto.GroupProtos.SenderKeyStateStructure;
import org.sotto.protocol.internal.proto.GroupProtos.SenderMessageKeyStructure;
import org.sotto.protocol.message.SenderKeyDistributionMessage;
import org.sotto.protocol.message.SenderKeyMessage;

class SenderKeyRecordTest {
  private final SecureRandom rng = new SecureRandom();
  private final UUID group = UUID.randomUUID();
  private final ProtocolAddress alice = new ProtocolAddress(UUID.randomUUID().toString(), 1);
  private final ProtocolAddress bob = new ProtocolAddress(UUID.randomUUID().toString(), 2);

  /** Alice's own record (a sending state) and Bob's record of Alice's key with a skipped key. */
  private final InMemorySenderKeyStore aliceStore = new InMemorySenderKeyStore();

  private final InMemorySenderKeyStore bobStore = new InMemorySenderKeyStore();

  private SenderKeyDistributionMessage setUpGroupWithSkippedKey() throws Exception {
    SenderKeyDistributionMessage skdm =
        new GroupSessionBuilder(aliceStore).create(alice, group, rng);
    new GroupSessionBuilder(bobStore).process(alice, skdm);
    GroupCipher aliceCipher = new GroupCipher(aliceStore);
    aliceCipher.encrypt(alice, group, bytes("skipped"), rng);
    SenderKeyMessage second = aliceCipher.encrypt(alice, group, bytes("received"), rng);
    new GroupCipher(bobStore).decrypt(alice, second.serialize());
    return skdm;
  }

  @Test
  void fromBytes_serializedRecords_roundTrip() throws Exception {
    setUpGroupWithSkippedKey();
    for (SenderKeyRecord record :
        List.of(
            aliceStore.loadSenderKey(alice, group),
            bobStore.loadSenderKey(alice, group),
            new SenderKeyRecord())) {
      byte[] serialized = record.serialize();
      assertArrayEquals(serialized, SenderKeyRecord.fromBytes(serialized).serialize());
    }
    SenderKeyRecord bobsRecord = bobStore.loadSenderKey(alice, group);
    assertEquals(1, bobsRecord.newestState().skippedCount());
    assertFalse(bobsRecord.newestState().hasSigningPrivateKey());
    assertTrue(aliceStore.loadSenderKey(alice, group).newestState().hasSigningPrivateKey());
    assertTrue(new SenderKeyRecord().isEmpty());
    assertFalse(bobsRecord.isEmpty());
  }

  @Test
  void fromBytes_malformed_throwsInvalidRecord() throws Exception {
    setUpGroupWithSkippedKey();
    SenderKeyRecordStructure good =
        SenderKeyRecordStructure.parseFrom(bobStore.loadSenderKey(alice, group).serialize());
    SenderKeyStateStructure state = good.getStates(0);
    List<byte[]> bad =
        List.of(
            new byte[] {(byte) 0xFF},
            good.toBuilder().setFormatVersion(2).build().toByteArray(),
            withState(good, state.toBuilder().setChainKey(ByteString.copyFrom(new byte[31]))),
            withState(good, state.toBuilder().setIteration(-1)),
            withState(good, state.toBuilder().setSigningPublic(ByteString.copyFrom(new byte[33]))),
            withState(good, state.toBuilder().setSigningPrivate(ByteString.copyFrom(new byte[5]))),
            withState(
                good,
                state.toBuilder()
                    .addSkipped(
                        SenderMessageKeyStructure.newBuilder()
                            .setIteration(state.getIteration())
                            .setSeed(ByteString.copyFrom(new byte[32])))),
            withState(
                good,
                state.toBuilder()
                    .setSkipped(
                        0,
                        state.getSkipped(0).toBuilder().setSeed(ByteString.copyFrom(new byte[3])))),
            good.toBuilder()
                .addStates(state)
                .addStates(state)
                .addStates(state)
                .addStates(state)
                .addStates(state)
                .build()
                .toByteArray());
    for (byte[] b : bad) {
      assertThrows(
          InvalidRecordException.class,
          () -> SenderKeyRecord.fromBytes(b),
          HexFormat.of().formatHex(b));
    }
    assertThrows(InvalidRecordException.class, () -> SenderKeyRecord.fromBytes(null));
  }

  @Test
  void fromBytes_tooManySkippedKeys_throwsInvalidRecord() throws Exception {
    setUpGroupWithSkippedKey();
    SenderKeyRecordStructure good =
        SenderKeyRecordStructure.parseFrom(bobStore.loadSenderKey(alice, group).serialize());
    SenderKeyStateStructure.Builder state = good.getStates(0).toBuilder().setIteration(5000);
    for (int i = 1; i <= SenderKeyRecord.MAX_MESSAGE_KEYS; i++) {
      state.addSkipped(state.getSkipped(0).toBuilder().setIteration(i));
    }
    byte[] b = withState(good, state);
    assertThrows(InvalidRecordException.class, () -> SenderKeyRecord.fromBytes(b));
  }

  @Test
  void toString_recordsStatesAndMessages_containNoSecrets() throws Exception {
    SenderKeyDistributionMessage skdm = setUpGroupWithSkippedKey();
    SenderKeyRecordStructure own =
        SenderKeyRecordStructure.parseFrom(aliceStore.loadSenderKey(alice, group).serialize());
    SenderKeyRecordStructure received =
        SenderKeyRecordStructure.parseFrom(bobStore.loadSenderKey(alice, group).serialize());
    List<byte[]> secrets =
        List.of(
            own.getStates(0).getChainKey().toByteArray(),
            own.getStates(0).getSigningPrivate().toByteArray(),
            received.getStates(0).getChainKey().toByteArray(),
            received.getStates(0).getSkipped(0).getSeed().toByteArray(),
            skdm.chainKey().key());
    SenderMessageKey messageKey = SenderMessageKey.derive(0, secrets.get(3));
    List<Object> shown =
        List.of(
            aliceStore.loadSenderKey(alice, group),
            bobStore.loadSenderKey(alice, group),
            aliceStore.loadSenderKey(alice, group).newestState(),
            bobStore.loadSenderKey(alice, group).newestState(),
            skdm,
            skdm.chainKey(),
            messageKey,
            aliceStore);
    List<byte[]> allSecrets = new java.util.ArrayList<>(secrets);
    allSecrets.add(messageKey.cipherKey());
    allSecrets.add(messageKey.iv());
    for (Object o : shown) {
      String s = o.toString();
      for (byte[] secret : allSecrets) {
        assertFalse(s.contains(HexFormat.of().formatHex(secret)), s);
        assertFalse(s.toLowerCase().contains(HexFormat.of().formatHex(secret, 0, 4)), s);
        assertFalse(s.contains(Base64.getEncoder().encodeToString(secret)), s);
      }
    }
    assertTrue(skdm.toString().contains("redacted"), skdm.toString());
  }

  private static byte[] withState(
      SenderKeyRecordStructure record, SenderKeyStateStructure.Builder state) {
    return record.toBuilder().setStates(0, state).build().toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
