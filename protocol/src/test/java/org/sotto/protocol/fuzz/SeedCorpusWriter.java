package org.sotto.protocol.fuzz;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.StorageProtos.ChainKeyStructure;
import org.sotto.protocol.internal.proto.StorageProtos.KyberPreKeyRecordStructure;
import org.sotto.protocol.internal.proto.StorageProtos.PreKeyRecordStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SessionRecordStructure;
import org.sotto.protocol.internal.proto.StorageProtos.SignedPreKeyRecordStructure;
import org.sotto.protocol.internal.proto.WireProtos;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * Writes the committed seed corpus: real messages, records and keys of {@link FuzzFixture} plus
 * edge cases, one directory per fuzz test as jazzer-junit expects ({@code
 * <TestClass>Inputs/<method>/}). Run it again whenever the fixture, or how the protocol draws
 * randomness, changes ({@code SeedCorpusTest} says when); see docs/fuzzing.md. Inputs that
 * reproduce known bugs are deliberately left out, so that fuzzing is not stopped by them at
 * start-up: those live in {@code FuzzFindingsTest}.
 */
public final class SeedCorpusWriter {
  private static final int MAC_LENGTH = SignalMessage.MAC_LENGTH;

  private final Path root;
  private final FuzzFixture fixture = FuzzFixture.get();

  SeedCorpusWriter(Path root) {
    this.root = root;
  }

  /** {@code args[0]}: the resources directory {@code .../org/sotto/protocol/fuzz}. */
  public static void main(String[] args) throws Exception {
    new SeedCorpusWriter(Path.of(args[0])).writeAll();
  }

  void writeAll() throws Exception {
    writeSessionCipherSeeds();
    writeWireMessageSeeds();
    writeSessionRecordSeeds();
    writeKeySeeds();
    writePreKeyRecordSeeds();
    writeFingerprintSeeds();
    writeSenderKeySeeds();
    writeSealedSenderSeeds();
  }

  private void writeSessionCipherSeeds() throws Exception {
    String type2 =
        "SessionCipherFuzzTest/decryptSignalMessage_anyBytes_yieldsGenuinePlaintextOrFailsTypedWithoutStateChange";
    byte[] undelivered = fixture.sent("whisper-undelivered").serialized();
    write(type2, "duplicate", fixture.sent("whisper-delivered").serialized());
    write(type2, "genuine", undelivered);
    write(type2, "genuine-skipping-one", fixture.sent("whisper-undelivered-later").serialized());
    write(
        type2, "genuine-inner-of-prekey", fixture.sent("prekey-same-session-undelivered").inner());
    write(type2, "bad-mac", SeedBytes.flipLastByte(undelivered));
    ECPublicKey fresh = ECKeyPair.generate(FuzzFixture.seededRandom(7)).publicKey();
    write(
        type2,
        "unknown-ratchet-key",
        editSignalMessage(
            undelivered, b -> b.setRatchetKey(ByteString.copyFrom(fresh.serialize()))));
    byte[] lowOrder = new byte[33];
    lowOrder[0] = 0x05;
    write(
        type2,
        "low-order-ratchet-key",
        editSignalMessage(undelivered, b -> b.setRatchetKey(ByteString.copyFrom(lowOrder))));
    write(
        type2,
        "counter-too-far-ahead",
        editSignalMessage(undelivered, b -> b.setCounter(SessionCipher.MAX_FORWARD_JUMPS + 10)));
    write(type2, "version-3", SeedBytes.withFirstByte(undelivered, 0x33));

    String type3 =
        "SessionCipherFuzzTest/decryptPreKeySignalMessage_anyBytes_yieldsGenuinePlaintextOrFailsTypedWithoutStateChange";
    byte[] newSession = fixture.sent("prekey-new-session-undelivered").serialized();
    write(type3, "duplicate", fixture.sent("prekey-delivered").serialized());
    write(
        type3,
        "genuine-same-session",
        fixture.sent("prekey-same-session-undelivered").serialized());
    write(type3, "genuine-new-session", newSession);
    write(
        type3,
        "new-session-bad-kyber-ciphertext",
        editPreKeyMessage(
            newSession,
            b -> {
              byte[] ct = b.getKyberCiphertext().toByteArray();
              ct[100] ^= 1;
              b.setKyberCiphertext(ByteString.copyFrom(ct));
            }));
    write(
        type3, "new-session-unknown-prekey", editPreKeyMessage(newSession, b -> b.setPreKeyId(99)));
    write(type3, "new-session-no-prekey", editPreKeyMessage(newSession, b -> b.clearPreKeyId()));
    byte[] nonCanonical = new byte[33];
    Arrays.fill(nonCanonical, (byte) 0xFF);
    nonCanonical[0] = 0x05;
    nonCanonical[32] = 0x7F;
    write(
        type3,
        "new-session-non-canonical-base-key",
        editPreKeyMessage(newSession, b -> b.setBaseKey(ByteString.copyFrom(nonCanonical))));
    write(
        type3,
        "new-session-untrusted-identity",
        editPreKeyMessage(
            newSession,
            b ->
                b.setIdentityKey(
                    ByteString.copyFrom(fixture.bobIdentity.identityKey().serialize()))));
  }

  private void writeWireMessageSeeds() throws Exception {
    String signal =
        "WireMessageFuzzTest/signalMessageFromBytes_anyBytes_roundTripsOrThrowsInvalidMessage";
    byte[] whisper = fixture.sent("whisper-delivered").serialized();
    write(signal, "genuine", whisper);
    write(
        signal, "genuine-with-addresses", fixture.sent("prekey-same-session-undelivered").inner());
    write(signal, "version-3", SeedBytes.withFirstByte(whisper, 0x33));
    write(signal, "empty-body", new byte[] {0x44, 0, 0, 0, 0, 0, 0, 0, 0});
    write(signal, "negative-counter", editSignalMessage(whisper, b -> b.setCounter(-1)));
    write(
        signal,
        "short-ratchet-key",
        editSignalMessage(whisper, b -> b.setRatchetKey(ByteString.copyFrom(new byte[] {5, 1}))));

    String preKey =
        "WireMessageFuzzTest/preKeySignalMessageFromBytes_anyBytes_roundTripsOrThrowsInvalidMessage";
    byte[] newSession = fixture.sent("prekey-new-session-undelivered").serialized();
    write(preKey, "genuine", newSession);
    write(preKey, "genuine-with-prekey-id", fixture.sent("prekey-delivered").serialized());
    write(preKey, "version-3", SeedBytes.withFirstByte(newSession, 0x33));
    write(
        preKey,
        "short-kyber-ciphertext",
        editPreKeyMessage(
            newSession, b -> b.setKyberCiphertext(ByteString.copyFrom(new byte[] {8}))));
    write(preKey, "no-inner-message", editPreKeyMessage(newSession, b -> b.clearMessage()));
    write(
        preKey,
        "inner-version-3",
        editPreKeyMessage(
            newSession,
            b ->
                b.setMessage(
                    ByteString.copyFrom(
                        SeedBytes.withFirstByte(b.getMessage().toByteArray(), 0x33)))));
  }

  private void writeSessionRecordSeeds() throws Exception {
    String dir = "SessionRecordFuzzTest/fromBytes_anyBytes_yieldsUsableRecordOrThrowsInvalidRecord";
    byte[] bob = fixture.bobSessionBytes();
    write(dir, "bob", bob);
    write(dir, "alice-pending-prekey-and-archived", fixture.aliceSessionBytes());
    // Bob after a message that skips one: a receiver chain with a stored message key.
    InMemorySignalProtocolStore store = fixture.newBobStore();
    new SessionCipher(store, FuzzFixture.BOB, FuzzFixture.ALICE)
        .decrypt(
            SignalMessage.fromBytes(fixture.sent("whisper-undelivered-later").serialized()),
            TestParty.NOW,
            FuzzFixture.seededRandom(1));
    write(dir, "bob-with-skipped-key", store.loadSession(FuzzFixture.ALICE).serialize());
    write(dir, "empty-record", new SessionRecord().serialize());
    write(
        dir,
        "unknown-format",
        SessionRecordStructure.newBuilder().setFormatVersion(2).build().toByteArray());
    SessionRecordStructure parsed = SessionRecordStructure.parseFrom(bob);
    SessionRecordStructure.Builder negative = parsed.toBuilder();
    negative
        .getCurrentBuilder()
        .getSenderChainBuilder()
        .setChainKey(
            ChainKeyStructure.newBuilder(parsed.getCurrent().getSenderChain().getChainKey())
                .setIndex(-1));
    write(dir, "negative-chain-index", negative.build().toByteArray());
  }

  private void writeKeySeeds() throws Exception {
    byte[] identity = fixture.aliceIdentityKey().serialize();
    String ec = "KeyFuzzTest/ecPublicKeyFromBytes_anyBytes_roundTripsOrThrowsInvalidKey";
    write(ec, "genuine", identity);
    write(ec, "zero", key((byte) 0x05, new byte[32]));
    write(ec, "u-is-p-minus-1", key((byte) 0x05, fieldElement(0xEC)));
    write(ec, "u-above-p", key((byte) 0x05, fieldElement(0xFF)));
    write(ec, "wrong-type", SeedBytes.withFirstByte(identity, 0x08));
    write(ec, "no-type-byte", Arrays.copyOfRange(identity, 1, 33));

    String id = "KeyFuzzTest/identityKeyFromBytes_anyBytes_roundTripsOrThrowsInvalidKey";
    write(id, "genuine", identity);
    write(id, "wrong-type", SeedBytes.withFirstByte(identity, 0x06));
    write(id, "too-long", Arrays.copyOf(identity, 34));

    byte[] kyber = fixture.bobKyberPreKeys().get(0).keyPair().publicKey().serialize();
    String kem = "KeyFuzzTest/kemPublicKeyFromBytes_anyBytes_yieldsUsableKeyOrThrowsInvalidKey";
    write(kem, "genuine", kyber);
    byte[] unreduced = kyber.clone();
    unreduced[1] = (byte) 0xFF;
    unreduced[2] = (byte) 0xFF;
    write(kem, "unreduced-coefficient", unreduced);
    write(kem, "wrong-type", SeedBytes.withFirstByte(kyber, 0x05));
    write(kem, "no-type-byte", Arrays.copyOfRange(kyber, 1, kyber.length));

    // Layout: signatureLength(1) ‖ u(32) ‖ signature ‖ message.
    String verify = "KeyFuzzTest/verifySignature_anyKeyMessageAndSignature_answersWithoutThrowing";
    SignedPreKeyRecord signed = fixture.bobSignedPreKeys().get(0);
    byte[] bobU = fixture.bobIdentity.identityKey().publicKey().rawBytes();
    byte[] signature = signed.signature();
    byte[] message = signed.keyPair().publicKey().serialize();
    write(verify, "genuine", signatureInput(bobU, signature, message));
    byte[] flippedSign = signature.clone();
    flippedSign[63] ^= (byte) 0x80;
    write(verify, "sign-bit-flipped", signatureInput(bobU, flippedSign, message));
    byte[] highS = signature.clone();
    highS[63] |= 0x60;
    write(verify, "high-s-bits", signatureInput(bobU, highS, message));
    write(verify, "u-is-p-minus-1", signatureInput(fieldElement(0xEC), signature, message));
    write(verify, "u-above-p", signatureInput(fieldElement(0xFF), signature, message));
    write(verify, "zero-key-zero-signature", signatureInput(new byte[32], new byte[64], message));
    write(verify, "short-signature", signatureInput(bobU, Arrays.copyOf(signature, 63), message));

    String pair =
        "KeyFuzzTest/identityKeyPairFromBytes_anyBytes_yieldsWorkingPairOrThrowsInvalidKey";
    byte[] alicePair = fixture.aliceIdentity.serialize();
    write(pair, "genuine", alicePair);
    byte[] mismatched = alicePair.clone();
    System.arraycopy(fixture.bobIdentity.serialize(), 33, mismatched, 33, 32);
    write(pair, "private-key-of-someone-else", mismatched);
    write(pair, "too-short", Arrays.copyOf(alicePair, 64));
  }

  private void writePreKeyRecordSeeds() throws Exception {
    String pre =
        "PreKeyRecordFuzzTest/preKeyRecordFromBytes_anyBytes_roundTripsOrThrowsInvalidRecord";
    byte[] preKey = fixture.bobPreKeys().get(0).serialize();
    write(pre, "genuine", preKey);
    write(
        pre,
        "unknown-format",
        PreKeyRecordStructure.parseFrom(preKey).toBuilder()
            .setFormatVersion(2)
            .build()
            .toByteArray());
    write(
        pre,
        "no-private-key",
        PreKeyRecordStructure.parseFrom(preKey).toBuilder()
            .clearPrivateKey()
            .build()
            .toByteArray());

    String signed =
        "PreKeyRecordFuzzTest/signedPreKeyRecordFromBytes_anyBytes_roundTripsOrThrowsInvalidRecord";
    int n = 0;
    for (SignedPreKeyRecord r : fixture.bobSignedPreKeys()) {
      write(signed, "genuine-" + ++n, r.serialize());
    }
    write(
        signed,
        "short-signature",
        SignedPreKeyRecordStructure.parseFrom(fixture.bobSignedPreKeys().get(0).serialize())
            .toBuilder()
            .setSignature(ByteString.copyFrom(new byte[] {1, 2, 3}))
            .build()
            .toByteArray());

    String kyber =
        "PreKeyRecordFuzzTest/kyberPreKeyRecordFromBytes_anyBytes_yieldsUsableKeyPairOrThrowsInvalidRecord";
    KyberPreKeyRecord k = fixture.bobKyberPreKeys().get(0);
    write(kyber, "genuine", k.serialize());
    KyberPreKeyRecord lastResort =
        new KyberPreKeyRecord(k.id(), k.timestampMs(), k.keyPair(), k.signature(), true);
    write(kyber, "genuine-last-resort", lastResort.serialize());
    KyberPreKeyRecordStructure structure = KyberPreKeyRecordStructure.parseFrom(k.serialize());
    byte[] secret = structure.getSecretKey().toByteArray();
    secret[1 + 1536 + 1568] ^= 1; // type byte, dk_pke, ek: the first byte of H(ek)
    write(
        kyber,
        "secret-key-hash-mismatch",
        structure.toBuilder().setSecretKey(ByteString.copyFrom(secret)).build().toByteArray());
  }

  private void writeFingerprintSeeds() throws IOException {
    String dir =
        "FingerprintFuzzTest/scannableCompareTo_anyBytes_matchesOnlyMirrorCodeOrThrowsFingerprintException";
    for (var seed : FingerprintFuzzTest.seeds().entrySet()) {
      write(dir, seed.getKey(), seed.getValue());
    }
  }

  private void writeSenderKeySeeds() throws Exception {
    for (var method : SenderKeyFuzzFixture.get().seeds().entrySet()) {
      for (var seed : method.getValue().entrySet()) {
        write("SenderKeyFuzzTest/" + method.getKey(), seed.getKey(), seed.getValue());
      }
    }
  }

  private void writeSealedSenderSeeds() throws Exception {
    for (var method : SealedSenderFuzzFixture.get().seeds().entrySet()) {
      for (var seed : method.getValue().entrySet()) {
        write("SealedSenderFuzzTest/" + method.getKey(), seed.getKey(), seed.getValue());
      }
    }
  }

  private interface SignalEdit {
    void apply(WireProtos.SignalMessage.Builder b);
  }

  private interface PreKeyEdit {
    void apply(WireProtos.PreKeySignalMessage.Builder b);
  }

  /** Re-encodes the protobuf of a SignalMessage, keeping its version byte and (now stale) MAC. */
  private static byte[] editSignalMessage(byte[] message, SignalEdit edit) throws Exception {
    WireProtos.SignalMessage.Builder b =
        WireProtos.SignalMessage.parseFrom(
            ByteString.copyFrom(message, 1, message.length - 1 - MAC_LENGTH))
            .toBuilder();
    edit.apply(b);
    byte[] body = b.build().toByteArray();
    byte[] out = new byte[1 + body.length + MAC_LENGTH];
    out[0] = message[0];
    System.arraycopy(body, 0, out, 1, body.length);
    System.arraycopy(message, message.length - MAC_LENGTH, out, 1 + body.length, MAC_LENGTH);
    return out;
  }

  private static byte[] editPreKeyMessage(byte[] message, PreKeyEdit edit) throws Exception {
    WireProtos.PreKeySignalMessage.Builder b =
        WireProtos.PreKeySignalMessage.parseFrom(
            ByteString.copyFrom(message, 1, message.length - 1))
            .toBuilder();
    edit.apply(b);
    return SeedBytes.versioned(message[0], b.build().toByteArray());
  }

  private static byte[] key(byte type, byte[] u) {
    byte[] out = new byte[33];
    out[0] = type;
    System.arraycopy(u, 0, out, 1, 32);
    return out;
  }

  /**
   * A little-endian field element {@code low ‖ 0xFF × 30 ‖ 0x7F}: 0xEC gives p − 1, 0xED gives p.
   */
  private static byte[] fieldElement(int low) {
    byte[] u = new byte[32];
    Arrays.fill(u, (byte) 0xFF);
    u[0] = (byte) low;
    u[31] = 0x7F;
    return u;
  }

  private static byte[] signatureInput(byte[] u, byte[] signature, byte[] message) {
    byte[] out = new byte[1 + 32 + signature.length + message.length];
    out[0] = (byte) signature.length;
    System.arraycopy(u, 0, out, 1, 32);
    System.arraycopy(signature, 0, out, 33, signature.length);
    System.arraycopy(message, 0, out, 33 + signature.length, message.length);
    return out;
  }

  private void write(String dir, String name, byte[] content) throws IOException {
    String[] parts = dir.split("/");
    Path d = root.resolve(parts[0] + "Inputs").resolve(parts[1]);
    Files.createDirectories(d);
    Files.write(d.resolve(name), content);
  }
}
