package org.sotto.protocol.groups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.SenderKeyDistributionMessage;
import org.sotto.protocol.message.SenderKeyMessage;
import org.sotto.protocol.ratchet.ChainKey;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

class GroupCipherTest {
  private final SecureRandom rng = new SecureRandom();
  private final UUID group = UUID.randomUUID();
  private final Member alice = new Member();
  private final Member bob = new Member();
  private final Member carol = new Member();

  /** One device in a group: its address and sender-key store. */
  private final class Member {
    final ProtocolAddress address = new ProtocolAddress(UUID.randomUUID().toString(), 1);
    final SenderKeyStore store = new InMemorySenderKeyStore();

    SenderKeyDistributionMessage distribution(UUID distributionId) {
      return new GroupSessionBuilder(store).create(address, distributionId, rng);
    }

    SenderKeyDistributionMessage rotate(UUID distributionId) {
      return new GroupSessionBuilder(store).rotate(address, distributionId, rng);
    }

    void process(Member sender, SenderKeyDistributionMessage skdm) throws Exception {
      // Over the wire, as it would travel inside a 1:1 message.
      new GroupSessionBuilder(store)
          .process(sender.address, SenderKeyDistributionMessage.fromBytes(skdm.serialize()));
    }

    SenderKeyMessage send(UUID distributionId, String text) throws Exception {
      return new GroupCipher(store)
          .encrypt(address, distributionId, text.getBytes(StandardCharsets.UTF_8), rng);
    }

    String receive(Member sender, byte[] message) throws Exception {
      return new String(
          new GroupCipher(store).decrypt(sender.address, message), StandardCharsets.UTF_8);
    }

    String receive(Member sender, SenderKeyMessage message) throws Exception {
      return receive(sender, message.serialize());
    }

    byte[] recordBytes(Member sender, UUID distributionId) {
      SenderKeyRecord r = store.loadSenderKey(sender.address, distributionId);
      return r == null ? null : r.serialize();
    }
  }

  @Test
  void encryptDecrypt_severalMessages_roundTripInOrder() throws Exception {
    bob.process(alice, alice.distribution(group));
    for (String text : List.of("", "hello group", "x".repeat(5000), "é ✓ 🚀")) {
      SenderKeyMessage m = alice.send(group, text);
      assertEquals(CiphertextMessage.SENDERKEY_TYPE, m.type());
      assertEquals(0x33, m.serialize()[0] & 0xFF);
      assertEquals(text, bob.receive(alice, m));
    }
  }

  @Test
  void encrypt_successiveMessages_iterationsCountUpFromZeroOnOneChain() throws Exception {
    SenderKeyDistributionMessage skdm = alice.distribution(group);
    assertEquals(0, skdm.iteration());
    for (int i = 0; i < 3; i++) {
      SenderKeyMessage m = alice.send(group, "m" + i);
      assertEquals(i, m.iteration());
      assertEquals(skdm.chainId(), m.chainId());
      assertEquals(group, m.distributionId());
    }
  }

  @Test
  void encrypt_withoutSendingKey_throwsNoSession() {
    assertThrows(NoSessionException.class, () -> alice.send(group, "nobody has my key"));
  }

  @Test
  void encrypt_withOnlyAnotherMembersKeyUnderOurAddress_throwsNoSession() throws Exception {
    // A distribution message claiming to be from Alice, stored by Alice: no private signing key.
    Member impostor = new Member();
    new GroupSessionBuilder(alice.store).process(alice.address, impostor.distribution(group));
    assertThrows(NoSessionException.class, () -> alice.send(group, "not with that key"));
  }

  @Test
  void decrypt_outOfOrderWithinLimits_allDecryptOnce() throws Exception {
    bob.process(alice, alice.distribution(group));
    List<SenderKeyMessage> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(alice.send(group, "m" + i));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(3));
    for (int i : order) {
      assertEquals("m" + i, bob.receive(alice, sent.get(i)));
    }
    for (int i : order) {
      SenderKeyMessage m = sent.get(i);
      assertThrows(DuplicateMessageException.class, () -> bob.receive(alice, m));
    }
  }

  @Test
  void decrypt_gapLargerThanStoredKeys_oldestSkippedKeyDropped() throws Exception {
    bob.process(alice, alice.distribution(group));
    int count = SenderKeyRecord.MAX_MESSAGE_KEYS + 2;
    List<SenderKeyMessage> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(alice.send(group, "m" + i));
    }
    assertEquals("m" + (count - 1), bob.receive(alice, sent.get(count - 1)));
    // Iterations 0..2000 were skipped: 2,001 keys, of which the newest 2,000 are kept.
    assertThrows(DuplicateMessageException.class, () -> bob.receive(alice, sent.get(0)));
    assertEquals("m1", bob.receive(alice, sent.get(1)));
    assertEquals("m" + (count - 2), bob.receive(alice, sent.get(count - 2)));
  }

  @Test
  void decrypt_exactlyMaxForwardJumpsAhead_decrypts() throws Exception {
    bob.process(alice, alice.distribution(group));
    advanceSendingChain(alice, GroupCipher.MAX_FORWARD_JUMPS);
    SenderKeyMessage far = alice.send(group, "far but allowed");
    assertEquals(GroupCipher.MAX_FORWARD_JUMPS, far.iteration());
    assertEquals("far but allowed", bob.receive(alice, far));
  }

  @Test
  void decrypt_tooFarAhead_throwsInvalidMessageAndKeepsRecord() throws Exception {
    bob.process(alice, alice.distribution(group));
    advanceSendingChain(alice, GroupCipher.MAX_FORWARD_JUMPS + 1);
    SenderKeyMessage tooFar = alice.send(group, "too far");
    byte[] before = bob.recordBytes(alice, group);
    assertThrows(InvalidMessageException.class, () -> bob.receive(alice, tooFar));
    assertArrayEquals(before, bob.recordBytes(alice, group));
  }

  @Test
  void decrypt_duplicate_throwsDuplicateAndKeepsRecord() throws Exception {
    bob.process(alice, alice.distribution(group));
    SenderKeyMessage m0 = alice.send(group, "zero");
    SenderKeyMessage m1 = alice.send(group, "one");
    SenderKeyMessage m2 = alice.send(group, "two");
    assertEquals("zero", bob.receive(alice, m0));
    assertEquals("two", bob.receive(alice, m2));
    byte[] before = bob.recordBytes(alice, group);
    assertThrows(DuplicateMessageException.class, () -> bob.receive(alice, m0));
    assertThrows(DuplicateMessageException.class, () -> bob.receive(alice, m2));
    assertArrayEquals(before, bob.recordBytes(alice, group));
    assertEquals("one", bob.receive(alice, m1));
    assertThrows(DuplicateMessageException.class, () -> bob.receive(alice, m1));
  }

  @Test
  void decrypt_badSignature_throwsInvalidMessageAndKeepsRecord() throws Exception {
    bob.process(alice, alice.distribution(group));
    SenderKeyMessage m = alice.send(group, "signed");
    byte[] lastByte = m.serialize();
    lastByte[lastByte.length - 1] ^= 0x01;
    byte[] body = m.serialize();
    body[body.length - SenderKeyMessage.SIGNATURE_LENGTH - 3] ^= 0x40;
    byte[] before = bob.recordBytes(alice, group);
    assertThrows(InvalidMessageException.class, () -> bob.receive(alice, lastByte));
    assertThrows(InvalidMessageException.class, () -> bob.receive(alice, body));
    assertArrayEquals(before, bob.recordBytes(alice, group));
    assertEquals("signed", bob.receive(alice, m));
  }

  @Test
  void decrypt_signedWithAnotherKeyOnTheSameChain_throwsInvalidMessageAndKeepsRecord()
      throws Exception {
    SenderKeyDistributionMessage skdm = alice.distribution(group);
    bob.process(alice, skdm);
    // Someone who learnt the chain key (any member) but not Alice's signing key forges a message.
    ChainKey chainKey = skdm.chainKey();
    SenderMessageKey keys = SenderMessageKey.derive(0, chainKey.messageKeySeed());
    byte[] ciphertext =
        org.sotto.protocol.internal.Crypto.aesCbcEncrypt(
            keys.cipherKey(), keys.iv(), "forged".getBytes(StandardCharsets.UTF_8));
    SenderKeyMessage forged =
        SenderKeyMessage.create(
            group, skdm.chainId(), 0, ciphertext, ECKeyPair.generate(rng).privateKey(), rng);
    byte[] before = bob.recordBytes(alice, group);
    assertThrows(InvalidMessageException.class, () -> bob.receive(alice, forged));
    assertArrayEquals(before, bob.recordBytes(alice, group));
    assertEquals("genuine", bob.receive(alice, alice.send(group, "genuine")));
  }

  @Test
  void decrypt_otherVersionNibble_throwsInvalidMessage() throws Exception {
    bob.process(alice, alice.distribution(group));
    SenderKeyMessage m = alice.send(group, "versioned");
    for (int version : new int[] {0x23, 0x43, 0x44, 0x03}) {
      byte[] b = m.serialize();
      b[0] = (byte) version;
      assertThrows(InvalidMessageException.class, () -> bob.receive(alice, b), "0x" + version);
    }
    assertEquals("versioned", bob.receive(alice, m));
  }

  @Test
  void decrypt_unknownChainId_throwsNoSessionAndKeepsRecord() throws Exception {
    bob.process(alice, alice.distribution(group));
    alice.rotate(group);
    SenderKeyMessage onNewChain = alice.send(group, "new chain");
    byte[] before = bob.recordBytes(alice, group);
    assertThrows(NoSessionException.class, () -> bob.receive(alice, onNewChain));
    assertArrayEquals(before, bob.recordBytes(alice, group));
  }

  @Test
  void decrypt_unknownDistributionIdOrSender_throwsNoSession() throws Exception {
    bob.process(alice, alice.distribution(group));
    UUID other = UUID.randomUUID();
    alice.distribution(other);
    SenderKeyMessage otherGroup = alice.send(other, "other group");
    assertThrows(NoSessionException.class, () -> bob.receive(alice, otherGroup));
    SenderKeyMessage m = alice.send(group, "from alice");
    assertThrows(NoSessionException.class, () -> bob.receive(carol, m));
    assertNull(bob.recordBytes(carol, group));
    assertEquals("from alice", bob.receive(alice, m));
  }

  @Test
  void decrypt_garbage_throwsInvalidMessage() {
    for (byte[] garbage :
        new byte[][] {new byte[0], new byte[] {0x33}, new byte[64], new byte[65], new byte[200]}) {
      if (garbage.length > 0) {
        garbage[0] = 0x33;
      }
      assertThrows(InvalidMessageException.class, () -> bob.receive(alice, garbage));
    }
  }

  @Test
  void process_sameChainAgain_keepsProgressAndSkippedKeys() throws Exception {
    SenderKeyDistributionMessage skdm = alice.distribution(group);
    bob.process(alice, skdm);
    SenderKeyMessage m0 = alice.send(group, "zero");
    SenderKeyMessage m1 = alice.send(group, "one");
    SenderKeyMessage m2 = alice.send(group, "two");
    assertEquals("zero", bob.receive(alice, m0));
    assertEquals("two", bob.receive(alice, m2));
    byte[] before = bob.recordBytes(alice, group);

    bob.process(alice, skdm);
    assertArrayEquals(before, bob.recordBytes(alice, group), "an old SKDM must not rewind");
    assertThrows(DuplicateMessageException.class, () -> bob.receive(alice, m0));
    assertEquals("one", bob.receive(alice, m1));
    assertEquals("three", bob.receive(alice, alice.send(group, "three")));
  }

  @Test
  void process_sameChainIdWithAnotherSigningKey_replacesState() throws Exception {
    SenderKeyDistributionMessage genuine = alice.distribution(group);
    bob.process(alice, genuine);
    SenderKeyDistributionMessage sameIdOtherKey =
        SenderKeyDistributionMessage.create(
            group,
            genuine.chainId(),
            new ChainKey(new byte[32], 0),
            ECKeyPair.generate(rng).publicKey());
    bob.process(alice, sameIdOtherKey);
    SenderKeyRecord record = bob.store.loadSenderKey(alice.address, group);
    assertEquals(1, record.stateCount());
    assertEquals(sameIdOtherKey.signingKey(), record.newestState().signingKey());
    SenderKeyMessage m = alice.send(group, "signed by the old key");
    assertThrows(InvalidMessageException.class, () -> bob.receive(alice, m));
  }

  @Test
  void process_sixChains_keepsNewestFive() throws Exception {
    List<SenderKeyMessage> firstOfChain = new ArrayList<>();
    for (int chain = 0; chain < SenderKeyRecord.MAX_STATES + 1; chain++) {
      bob.process(alice, chain == 0 ? alice.distribution(group) : alice.rotate(group));
      firstOfChain.add(alice.send(group, "chain " + chain));
    }
    assertEquals(
        SenderKeyRecord.MAX_STATES, bob.store.loadSenderKey(alice.address, group).stateCount());
    assertThrows(NoSessionException.class, () -> bob.receive(alice, firstOfChain.get(0)));
    for (int chain = 1; chain <= SenderKeyRecord.MAX_STATES; chain++) {
      assertEquals("chain " + chain, bob.receive(alice, firstOfChain.get(chain)));
    }
  }

  @Test
  void rotate_afterMemberRemoval_removedMemberCannotDecryptNewMessages() throws Exception {
    SenderKeyDistributionMessage before = alice.distribution(group);
    bob.process(alice, before);
    carol.process(alice, before);
    SenderKeyMessage old = alice.send(group, "before carol left");
    SenderKeyMessage inFlight = alice.send(group, "in flight when carol left");
    assertEquals("before carol left", bob.receive(alice, old));
    assertEquals("before carol left", carol.receive(alice, old));

    SenderKeyDistributionMessage after = alice.rotate(group);
    assertNotEquals(before.chainId(), after.chainId());
    assertNotEquals(before.signingKey(), after.signingKey());
    bob.process(alice, after);
    SenderKeyMessage secret = alice.send(group, "carol is gone");
    assertEquals(after.chainId(), secret.chainId());
    assertEquals(0, secret.iteration());

    byte[] carolBefore = carol.recordBytes(alice, group);
    assertThrows(NoSessionException.class, () -> carol.receive(alice, secret));
    assertArrayEquals(carolBefore, carol.recordBytes(alice, group));
    assertEquals("carol is gone", bob.receive(alice, secret));
    // Bob still reads what was sent on the old chain before the rotation.
    assertEquals("in flight when carol left", bob.receive(alice, inFlight));
  }

  @Test
  void create_newDistributionIdAfterMemberRemoval_removedMemberCannotDecrypt() throws Exception {
    SenderKeyDistributionMessage before = alice.distribution(group);
    bob.process(alice, before);
    carol.process(alice, before);
    UUID newGroup = UUID.randomUUID();
    bob.process(alice, alice.distribution(newGroup));
    SenderKeyMessage secret = alice.send(newGroup, "new distribution");
    assertThrows(NoSessionException.class, () -> carol.receive(alice, secret));
    assertEquals("new distribution", bob.receive(alice, secret));
  }

  @Test
  void create_again_sameChainAtCurrentIteration() throws Exception {
    SenderKeyDistributionMessage first = alice.distribution(group);
    bob.process(alice, first);
    SenderKeyMessage m0 = alice.send(group, "zero");
    SenderKeyMessage m1 = alice.send(group, "one");
    SenderKeyDistributionMessage later = alice.distribution(group);
    assertEquals(first.chainId(), later.chainId());
    assertEquals(first.signingKey(), later.signingKey());
    assertEquals(2, later.iteration());

    // A member who joins now cannot read what was sent before it joined.
    carol.process(alice, later);
    assertThrows(DuplicateMessageException.class, () -> carol.receive(alice, m0));
    SenderKeyMessage m2 = alice.send(group, "two");
    assertEquals("two", carol.receive(alice, m2));
    assertEquals("one", bob.receive(alice, m1));
    assertEquals("two", bob.receive(alice, m2));
  }

  @Test
  void threeMembers_eachSends_allOthersDecrypt() throws Exception {
    List<Member> members = List.of(alice, bob, carol);
    for (Member sender : members) {
      SenderKeyDistributionMessage skdm = sender.distribution(group);
      for (Member receiver : members) {
        if (receiver != sender) {
          receiver.process(sender, skdm);
        }
      }
    }
    for (int round = 0; round < 3; round++) {
      for (Member sender : members) {
        String text = sender.address + " round " + round;
        SenderKeyMessage m = sender.send(group, text);
        for (Member receiver : members) {
          if (receiver != sender) {
            assertEquals(text, receiver.receive(sender, m));
          }
        }
      }
    }
  }

  @Test
  void groupCipher_withInMemorySignalProtocolStore_roundTrips() throws Exception {
    InMemorySignalProtocolStore aliceStore =
        new InMemorySignalProtocolStore(IdentityKeyPair.generate(rng), 1);
    InMemorySignalProtocolStore bobStore =
        new InMemorySignalProtocolStore(IdentityKeyPair.generate(rng), 2);
    new GroupSessionBuilder(bobStore)
        .process(
            alice.address, new GroupSessionBuilder(aliceStore).create(alice.address, group, rng));
    SenderKeyMessage m =
        new GroupCipher(aliceStore)
            .encrypt(
                alice.address, group, "via the full store".getBytes(StandardCharsets.UTF_8), rng);
    assertEquals(
        "via the full store",
        new String(
            new GroupCipher(bobStore).decrypt(alice.address, m.serialize()),
            StandardCharsets.UTF_8));
  }

  /**
   * Moves the sender's chain under {@link #group} {@code steps} iterations on, as if it had sent
   * them.
   */
  private void advanceSendingChain(Member sender, int steps) {
    UUID distributionId = group;
    SenderKeyRecord record = sender.store.loadSenderKey(sender.address, distributionId);
    SenderKeyState state = record.newestState();
    ChainKey chainKey = state.chainKey();
    for (int i = 0; i < steps; i++) {
      chainKey = chainKey.next();
    }
    state.setChainKey(chainKey);
    record.setState(state);
    sender.store.storeSenderKey(sender.address, distributionId, record);
  }
}
