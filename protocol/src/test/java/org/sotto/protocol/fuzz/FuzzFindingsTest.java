package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.internal.proto.StorageProtos.ChainKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.KyberPreKeyRecordStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PreKeyRecordStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SessionRecordStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SignedPreKeyRecordStructure;
import org.sotto.protocol.internal.proto.WireProtos;
import org.sotto.protocol.kem.KEMKeyPair;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * Reproducers for what fuzzing found: inputs on which a parser or the session let an exception
 * other than a {@link ProtocolException} escape. Each test states the behaviour the code now has.
 *
 * <p>Stored key pairs are deliberately not re-checked on load (it would cost a scalar
 * multiplication per ratchet step, see {@link ECKeyPair}): a mismatched pair from corrupted storage
 * parses, and only makes decryption fail with a typed exception.
 */
class FuzzFindingsTest {
  private final FuzzFixture fixture = FuzzFixture.get();
  private final byte[] otherPublicKey =
      ECKeyPair.generate(FuzzFixture.seededRandom(11)).publicKey().serialize();

  @Test
  void preKeyRecordFromBytes_publicKeyOfAnotherPrivateKey_parsesUncheckedAndRoundTrips()
      throws Exception {
    byte[] record =
        PreKeyRecordStructure.parseFrom(fixture.bobPreKeys().get(0).serialize()).toBuilder()
            .setPublicKey(ByteString.copyFrom(otherPublicKey))
            .build()
            .toByteArray();
    PreKeyRecord parsed = PreKeyRecord.fromBytes(record);
    assertArrayEquals(otherPublicKey, parsed.keyPair().publicKey().serialize());
    assertArrayEquals(record, parsed.serialize());
  }

  /** The smallest such input the fuzzer found (73 bytes, one changed byte in the public key). */
  @Test
  void preKeyRecordFromBytes_fuzzerFindingWithOneByteChanged_parsesWithoutUntypedException()
      throws Exception {
    byte[] record =
        HexFormat.of()
            .parseHex(
                "08011002" // format version 1, id 2
                    + "1a21" // public key, 33 bytes
                    + "05d6a921b0a0dddeba49713eae9f5e8a6e7f1d0045c1505c44b31a9103ac2ad170"
                    + "2220" // private key, 32 bytes
                    + "f886f870f2e2bfe19270aff073328625437c7dbad5cfee9f68dd84cf99b1f161");
    assertArrayEquals(record, PreKeyRecord.fromBytes(record).serialize());
  }

  @Test
  void signedPreKeyRecordFromBytes_publicKeyOfAnotherPrivateKey_parsesUncheckedAndRoundTrips()
      throws Exception {
    byte[] record =
        SignedPreKeyRecordStructure.parseFrom(fixture.bobSignedPreKeys().get(0).serialize())
            .toBuilder()
            .setPublicKey(ByteString.copyFrom(otherPublicKey))
            .build()
            .toByteArray();
    SignedPreKeyRecord parsed = SignedPreKeyRecord.fromBytes(record);
    assertArrayEquals(otherPublicKey, parsed.keyPair().publicKey().serialize());
    assertArrayEquals(record, parsed.serialize());
  }

  @Test
  void kyberPreKeyRecordFromBytes_publicKeyOfAnotherSecretKey_throwsInvalidRecord()
      throws Exception {
    byte[] otherKyberKey =
        KEMKeyPair.generate(FuzzFixture.seededRandom(12)).publicKey().serialize();
    byte[] record =
        KyberPreKeyRecordStructure.parseFrom(fixture.bobKyberPreKeys().get(0).serialize())
            .toBuilder()
            .setPublicKey(ByteString.copyFrom(otherKyberKey))
            .build()
            .toByteArray();
    assertThrows(InvalidRecordException.class, () -> KyberPreKeyRecord.fromBytes(record));
  }

  /**
   * {@link org.sotto.protocol.state.SessionState} promises getters that cannot fail once a record
   * has parsed; {@code senderRatchetKeyPair()} (used by every DH ratchet step in decrypt) used to
   * throw IllegalArgumentException for a mismatched stored pair.
   */
  @Test
  void sessionRecordFromBytes_senderRatchetPublicKeyNotOfItsPrivateKey_gettersAndDecryptStayTyped()
      throws Exception {
    SessionRecordStructure.Builder b =
        SessionRecordStructure.parseFrom(fixture.bobSessionBytes()).toBuilder();
    b.getCurrentBuilder()
        .getSenderChainBuilder()
        .setRatchetPublic(ByteString.copyFrom(otherPublicKey));
    byte[] record = b.build().toByteArray();
    SessionRecord parsed = SessionRecord.fromBytes(record);
    assertArrayEquals(
        otherPublicKey, parsed.currentState().senderRatchetKeyPair().publicKey().serialize());
    InMemorySignalProtocolStore bob = fixture.newBobStore();
    bob.storeSession(FuzzFixture.ALICE, parsed);
    SignalMessage message =
        SignalMessage.fromBytes(fixture.sent("whisper-undelivered").serialized());
    SessionCipher cipher = new SessionCipher(bob, FuzzFixture.BOB, FuzzFixture.ALICE);
    try {
      cipher.decrypt(message, TestParty.NOW, FuzzFixture.seededRandom(14));
    } catch (ProtocolException expected) {
      // A typed failure is fine; anything else escapes and fails the test.
    }
  }

  /**
   * A receiving chain may reach index {@link Integer#MAX_VALUE} (a record accepts any non-negative
   * index; a peer can push it there in about 86,000 messages of {@link
   * SessionCipher#MAX_FORWARD_JUMPS} each). The chain is advanced before the MAC is checked, so
   * then anyone's unauthenticated message with counter 2^31 − 1 makes {@code ChainKey.next()} throw
   * IllegalArgumentException ("negative chain index") out of decrypt.
   */
  @Test
  void decrypt_counterMaxOnReceivingChainNearIndexLimit_throwsInvalidMessage() throws Exception {
    SessionRecordStructure.Builder b =
        SessionRecordStructure.parseFrom(fixture.bobSessionBytes()).toBuilder();
    var chain = b.getCurrentBuilder().getReceiverChainsBuilder(0);
    chain.setChainKey(
        ChainKeyStructure.newBuilder(chain.getChainKey()).setIndex(Integer.MAX_VALUE - 1));
    InMemorySignalProtocolStore bob = fixture.newBobStore();
    bob.storeSession(FuzzFixture.ALICE, SessionRecord.fromBytes(b.build().toByteArray()));

    // Alice's real ratchet key and a counter of 2^31 − 1; the MAC is stale, as an attacker's would
    // be.
    byte[] genuine = fixture.sent("whisper-undelivered").serialized();
    WireProtos.SignalMessage body =
        WireProtos.SignalMessage.parseFrom(ByteString.copyFrom(genuine, 1, genuine.length - 9))
            .toBuilder()
            .setCounter(Integer.MAX_VALUE)
            .build();
    byte[] forged = new byte[1 + body.getSerializedSize() + SignalMessage.MAC_LENGTH];
    forged[0] = genuine[0];
    System.arraycopy(body.toByteArray(), 0, forged, 1, body.getSerializedSize());
    SignalMessage message = SignalMessage.fromBytes(forged);

    SessionCipher cipher = new SessionCipher(bob, FuzzFixture.BOB, FuzzFixture.ALICE);
    assertThrows(
        InvalidMessageException.class,
        () -> cipher.decrypt(message, TestParty.NOW, FuzzFixture.seededRandom(13)));
  }
}
