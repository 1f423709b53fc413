package org.sotto.protocol.fuzz;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.groups.GroupCipher;
import org.sotto.protocol.groups.GroupSessionBuilder;
import org.sotto.protocol.groups.InMemorySenderKeyStore;
import org.sotto.protocol.groups.SenderKeyRecord;
import org.sotto.protocol.internal.proto.GroupProtos.SenderKeyRecordStructure;
import org.sotto.protocol.internal.proto.GroupProtos.SenderKeyStateStructure;
import org.sotto.protocol.internal.proto.WireProtos;
import org.sotto.protocol.message.SenderKeyDistributionMessage;
import org.sotto.protocol.message.SenderKeyMessage;

/**
 * A fixed group built from a seeded generator, so that the committed seed corpus of {@link
 * SenderKeyFuzzTest} holds real messages of exactly this group and the fuzzer starts past the
 * signature check. Alice sends on two chains of one distribution id (she rotated once); Bob holds
 * both, has received some messages and has a skipped key stored. Bob's record is kept as bytes from
 * which each fuzz input gets a fresh store. Immutable after construction; built once per JVM.
 */
final class SenderKeyFuzzFixture {
  /** Changing this, or how the protocol consumes randomness, invalidates the committed corpus. */
  private static final long SEED = 0x5E4D_E2_C0DEL;

  static final UUID DISTRIBUTION_ID = UUID.fromString("6a3c1f0e-92b4-4d7a-8e15-c0ffee5e4d01");

  /**
   * A group message Alice really sent.
   *
   * @param name the seed file name it is written under
   * @param delivered whether Bob has decrypted it in the fixture (so a replay is a duplicate)
   */
  record Sent(String name, byte[] serialized, byte[] plaintext, boolean delivered) {}

  private static final class Holder {
    static final SenderKeyFuzzFixture INSTANCE = build();
  }

  private final byte[] firstSkdm;
  private final byte[] rotatedSkdm;
  private final byte[] aliceRecord;
  private final byte[] bobRecord;
  private final List<Sent> sent;

  private SenderKeyFuzzFixture(
      byte[] firstSkdm, byte[] rotatedSkdm, byte[] aliceRecord, byte[] bobRecord, List<Sent> sent) {
    this.firstSkdm = firstSkdm;
    this.rotatedSkdm = rotatedSkdm;
    this.aliceRecord = aliceRecord;
    this.bobRecord = bobRecord;
    this.sent = List.copyOf(sent);
  }

  static SenderKeyFuzzFixture get() {
    return Holder.INSTANCE;
  }

  private static SenderKeyFuzzFixture build() {
    try {
      SecureRandom rng = FuzzFixture.seededRandom(SEED);
      InMemorySenderKeyStore alice = new InMemorySenderKeyStore();
      InMemorySenderKeyStore bob = new InMemorySenderKeyStore();
      List<Sent> sent = new ArrayList<>();

      SenderKeyDistributionMessage first =
          new GroupSessionBuilder(alice).create(FuzzFixture.ALICE, DISTRIBUTION_ID, rng);
      new GroupSessionBuilder(bob).process(FuzzFixture.ALICE, first);
      send(alice, bob, "first-chain-delivered-0", true, sent, rng);
      send(alice, bob, "first-chain-skipped-1", false, sent, rng);
      send(alice, bob, "first-chain-delivered-2", true, sent, rng);
      send(alice, bob, "first-chain-undelivered-3", false, sent, rng);

      SenderKeyDistributionMessage rotated =
          new GroupSessionBuilder(alice).rotate(FuzzFixture.ALICE, DISTRIBUTION_ID, rng);
      new GroupSessionBuilder(bob).process(FuzzFixture.ALICE, rotated);
      send(alice, bob, "second-chain-delivered-0", true, sent, rng);
      send(alice, null, "second-chain-never-sent-1", false, new ArrayList<>(), rng);
      send(alice, bob, "second-chain-undelivered-2", false, sent, rng);
      return new SenderKeyFuzzFixture(
          first.serialize(),
          rotated.serialize(),
          alice.loadSenderKey(FuzzFixture.ALICE, DISTRIBUTION_ID).serialize(),
          bob.loadSenderKey(FuzzFixture.ALICE, DISTRIBUTION_ID).serialize(),
          sent);
    } catch (Exception e) {
      throw new AssertionError("cannot build the sender key fuzz fixture", e);
    }
  }

  private static void send(
      InMemorySenderKeyStore alice,
      InMemorySenderKeyStore bob,
      String name,
      boolean delivered,
      List<Sent> out,
      SecureRandom rng)
      throws Exception {
    byte[] plaintext = name.getBytes(StandardCharsets.UTF_8);
    byte[] message =
        new GroupCipher(alice)
            .encrypt(FuzzFixture.ALICE, DISTRIBUTION_ID, plaintext, rng)
            .serialize();
    if (delivered) {
      new GroupCipher(bob).decrypt(FuzzFixture.ALICE, message);
    }
    out.add(new Sent(name, message, plaintext, delivered));
  }

  /** Every message Alice sent (and that is in the corpus), in order. */
  List<Sent> sent() {
    return sent;
  }

  /** The message with this name. */
  Sent sent(String name) {
    return sent.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no fixture message " + name));
  }

  /** The genuine message whose bytes are exactly {@code serialized}, or null. */
  Sent sentWithBytes(byte[] serialized) {
    for (Sent s : sent) {
      if (Arrays.equals(s.serialized(), serialized)) {
        return s;
      }
    }
    return null;
  }

  /** Bob's serialized record of Alice's two chains. */
  byte[] bobRecordBytes() {
    return bobRecord.clone();
  }

  /** A fresh store holding Bob's record of Alice's key. */
  InMemorySenderKeyStore newBobStore() {
    InMemorySenderKeyStore store = new InMemorySenderKeyStore();
    try {
      store.storeSenderKey(
          FuzzFixture.ALICE, DISTRIBUTION_ID, SenderKeyRecord.fromBytes(bobRecord));
    } catch (InvalidRecordException e) {
      throw new AssertionError("fixture record does not parse", e);
    }
    return store;
  }

  /** The first distribution message (iteration 0 of the first chain). */
  byte[] firstSkdm() {
    return firstSkdm.clone();
  }

  /** The seeds of every {@link SenderKeyFuzzTest} method: method name → file name → bytes. */
  Map<String, Map<String, byte[]>> seeds() throws Exception {
    Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
    all.put(
        "decrypt_anyBytes_yieldsGenuinePlaintextOrFailsTypedWithoutStateChange", decryptSeeds());
    all.put("senderKeyMessageFromBytes_anyBytes_roundTripsOrThrowsInvalidMessage", messageSeeds());
    all.put(
        "senderKeyDistributionMessageFromBytes_anyBytes_roundTripsOrThrowsInvalidMessage",
        skdmSeeds());
    all.put(
        "senderKeyRecordFromBytes_anyBytes_yieldsUsableRecordOrThrowsInvalidRecord", recordSeeds());
    return all;
  }

  private Map<String, byte[]> decryptSeeds() throws Exception {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    for (Sent s : sent) {
      seeds.put(s.name(), s.serialized());
    }
    byte[] genuine = sent("first-chain-undelivered-3").serialized();
    seeds.put("bad-signature", SeedBytes.flipLastByte(genuine));
    seeds.put("version-4", SeedBytes.withFirstByte(genuine, 0x43));
    // Re-encoded bodies under a stale signature, and bodies Alice signs (so decryption gets past
    // the signature check): the key would allow it, the state must not.
    seeds.put("unknown-chain-stale-signature", editMessage(genuine, b -> b.setChainId(7), null));
    seeds.put(
        "unknown-distribution-stale-signature",
        editMessage(genuine, b -> b.setDistributionUuid(ByteString.copyFrom(new byte[16])), null));
    // Alice's current chain is the second one: only its private key is still in her record.
    byte[] current = sent("second-chain-undelivered-2").serialized();
    ECPrivateKey signer = aliceSigningKey();
    int iteration = SenderKeyMessage.fromBytes(current).iteration();
    seeds.put(
        "signed-too-far-ahead",
        editMessage(
            current, b -> b.setIteration(iteration + GroupCipher.MAX_FORWARD_JUMPS + 1), signer));
    seeds.put(
        "signed-max-iteration",
        editMessage(current, b -> b.setIteration(Integer.MAX_VALUE), signer));
    seeds.put(
        "signed-bad-padding",
        editMessage(current, b -> b.setCiphertext(ByteString.copyFrom(new byte[32])), signer));
    seeds.put(
        "signed-empty-ciphertext",
        editMessage(current, b -> b.setCiphertext(ByteString.EMPTY), signer));
    return seeds;
  }

  private Map<String, byte[]> messageSeeds() throws Exception {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    byte[] genuine = sent("first-chain-delivered-0").serialized();
    seeds.put("genuine", genuine);
    seeds.put("version-2", SeedBytes.withFirstByte(genuine, 0x23));
    seeds.put("no-ciphertext", editMessage(genuine, b -> b.clearCiphertext(), null));
    seeds.put("negative-iteration", editMessage(genuine, b -> b.setIteration(-1), null));
    seeds.put(
        "short-distribution-id",
        editMessage(genuine, b -> b.setDistributionUuid(ByteString.copyFrom(new byte[3])), null));
    seeds.put("signature-only", Arrays.copyOfRange(genuine, genuine.length - 65, genuine.length));
    return seeds;
  }

  private Map<String, byte[]> skdmSeeds() throws Exception {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("genuine", firstSkdm.clone());
    seeds.put("genuine-rotated", rotatedSkdm.clone());
    seeds.put("version-4", SeedBytes.withFirstByte(firstSkdm, 0x43));
    seeds.put("short-chain-key", editSkdm(b -> b.setChainKey(ByteString.copyFrom(new byte[31]))));
    seeds.put("no-signing-key", editSkdm(b -> b.clearSigningKey()));
    byte[] wrongType = new byte[33];
    wrongType[0] = 0x08;
    seeds.put("wrong-key-type", editSkdm(b -> b.setSigningKey(ByteString.copyFrom(wrongType))));
    seeds.put("negative-iteration", editSkdm(b -> b.setIteration(-1)));
    return seeds;
  }

  private Map<String, byte[]> recordSeeds() throws Exception {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("bob-two-chains-skipped-key", bobRecord.clone());
    seeds.put("alice-sending", aliceRecord.clone());
    seeds.put("empty", new SenderKeyRecord().serialize());
    SenderKeyRecordStructure bob = SenderKeyRecordStructure.parseFrom(bobRecord);
    seeds.put("unknown-format", bob.toBuilder().setFormatVersion(2).build().toByteArray());
    SenderKeyStateStructure.Builder exhausted =
        bob.getStates(1).toBuilder().setIteration(Integer.MAX_VALUE);
    seeds.put("max-iteration", bob.toBuilder().setStates(1, exhausted).build().toByteArray());
    SenderKeyRecordStructure alice = SenderKeyRecordStructure.parseFrom(aliceRecord);
    seeds.put(
        "alice-exhausted",
        alice.toBuilder()
            .setStates(0, alice.getStates(0).toBuilder().setIteration(Integer.MAX_VALUE))
            .build()
            .toByteArray());
    return seeds;
  }

  /** Alice's private signing key of her current (second) chain, read from her record. */
  private ECPrivateKey aliceSigningKey() throws Exception {
    return ECPrivateKey.fromBytes(
        SenderKeyRecordStructure.parseFrom(aliceRecord)
            .getStates(0)
            .getSigningPrivate()
            .toByteArray());
  }

  private interface MessageEdit {
    void apply(WireProtos.SenderKeyMessage.Builder b);
  }

  private interface SkdmEdit {
    void apply(WireProtos.SenderKeyDistributionMessage.Builder b);
  }

  /**
   * Re-encodes a message's protobuf; signs it with {@code signer}, or keeps the stale signature
   * when null.
   */
  private static byte[] editMessage(byte[] message, MessageEdit edit, ECPrivateKey signer)
      throws Exception {
    int signatureLength = SenderKeyMessage.SIGNATURE_LENGTH;
    WireProtos.SenderKeyMessage.Builder b =
        WireProtos.SenderKeyMessage.parseFrom(
            ByteString.copyFrom(message, 1, message.length - 1 - signatureLength))
            .toBuilder();
    edit.apply(b);
    byte[] body = b.build().toByteArray();
    byte[] signed = new byte[1 + body.length];
    signed[0] = message[0];
    System.arraycopy(body, 0, signed, 1, body.length);
    byte[] signature =
        signer == null
            ? Arrays.copyOfRange(message, message.length - signatureLength, message.length)
            : signer.calculateSignature(signed, FuzzFixture.seededRandom(SEED + 2));
    byte[] out = Arrays.copyOf(signed, signed.length + signatureLength);
    System.arraycopy(signature, 0, out, signed.length, signatureLength);
    return out;
  }

  private byte[] editSkdm(SkdmEdit edit) throws Exception {
    WireProtos.SenderKeyDistributionMessage.Builder b =
        WireProtos.SenderKeyDistributionMessage.parseFrom(
            ByteString.copyFrom(firstSkdm, 1, firstSkdm.length - 1))
            .toBuilder();
    edit.apply(b);
    return SeedBytes.versioned(firstSkdm[0], b.build().toByteArray());
  }
}
