package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.groups.GroupCipher;
import org.sotto.protocol.groups.GroupSessionBuilder;
import org.sotto.protocol.groups.InMemorySenderKeyStore;
import org.sotto.protocol.groups.SenderKeyRecord;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.SenderKeyDistributionMessage;
import org.sotto.protocol.message.SenderKeyMessage;

/**
 * Sender keys on arbitrary bytes. Bob, holding Alice's two chains ({@link SenderKeyFuzzFixture}),
 * decrypts fuzzed group messages: only {@link ProtocolException} subclasses may escape, a failure
 * leaves his record as it was, and a success is possible only for a message Alice really sent and
 * Bob had not yet received. The two message parsers accept or throw {@link InvalidMessageException}
 * and what they accept round-trips; {@link SenderKeyRecord#fromBytes} accepts or throws {@link
 * InvalidRecordException}, and an accepted record works for encrypting, decrypting and processing
 * without an untyped exception.
 */
class SenderKeyFuzzTest {
  private static final long RANDOM_SEED = 4;

  /** A key that signed nothing in the fixture: verifying with it must answer, and answer no. */
  private static final ECPublicKey STRANGER =
      ECKeyPair.generate(FuzzFixture.seededRandom(13)).publicKey();

  @FuzzTest
  void decrypt_anyBytes_yieldsGenuinePlaintextOrFailsTypedWithoutStateChange(byte[] input) {
    SenderKeyFuzzFixture fixture = SenderKeyFuzzFixture.get();
    InMemorySenderKeyStore bob = fixture.newBobStore();
    byte[] plaintext;
    try {
      plaintext = new GroupCipher(bob).decrypt(FuzzFixture.ALICE, input);
    } catch (ProtocolException e) {
      assertArrayEquals(
          fixture.bobRecordBytes(),
          bob.loadSenderKey(FuzzFixture.ALICE, SenderKeyFuzzFixture.DISTRIBUTION_ID).serialize(),
          "record changed by a failed decrypt");
      assertNoRecordForOtherDistribution(bob, input);
      return;
    }
    SenderKeyFuzzFixture.Sent genuine = fixture.sentWithBytes(input);
    assertNotNull(genuine, "decrypted a message Alice never sent");
    assertFalse(genuine.delivered(), "decrypted " + genuine.name() + " a second time");
    assertArrayEquals(genuine.plaintext(), plaintext, genuine.name());
  }

  @FuzzTest
  void senderKeyMessageFromBytes_anyBytes_roundTripsOrThrowsInvalidMessage(byte[] input) {
    SenderKeyMessage message;
    try {
      message = SenderKeyMessage.fromBytes(input);
    } catch (InvalidMessageException e) {
      return;
    }
    assertArrayEquals(input, message.serialize());
    assertEquals(CiphertextMessage.SENDERKEY_TYPE, message.type());
    assertEquals(SenderKeyMessage.SENDER_KEY_VERSION, message.messageVersion());
    assertEquals(SenderKeyMessage.SENDER_KEY_VERSION, (input[0] & 0xFF) >>> 4);
    assertTrue(message.iteration() >= 0, "accepted negative iteration " + message.iteration());
    assertNotNull(message.distributionId());
    assertNotNull(message.ciphertext());
    assertFalse(message.verifySignature(STRANGER));
    assertEquals(message, reparseMessage(input));
    assertNotNull(message.toString());
  }

  @FuzzTest
  void senderKeyDistributionMessageFromBytes_anyBytes_roundTripsOrThrowsInvalidMessage(
      byte[] input) {
    SenderKeyDistributionMessage skdm;
    try {
      skdm = SenderKeyDistributionMessage.fromBytes(input);
    } catch (InvalidMessageException e) {
      return;
    }
    assertArrayEquals(input, skdm.serialize());
    assertTrue(skdm.iteration() >= 0, "accepted negative iteration " + skdm.iteration());
    assertEquals(skdm.iteration(), skdm.chainKey().index());
    assertEquals(32, skdm.chainKey().key().length);
    assertEquals(33, skdm.signingKey().serialize().length);
    assertEquals(skdm, reparseSkdm(input));
    // Our own encoding of the same fields parses to the same fields (bytes may differ: unknown
    // fields, field order).
    SenderKeyDistributionMessage rebuilt =
        reparseSkdm(
            SenderKeyDistributionMessage.create(
                    skdm.distributionId(), skdm.chainId(), skdm.chainKey(), skdm.signingKey())
                .serialize());
    assertEquals(skdm.distributionId(), rebuilt.distributionId());
    assertEquals(skdm.chainId(), rebuilt.chainId());
    assertEquals(skdm.chainKey(), rebuilt.chainKey());
    assertEquals(skdm.signingKey(), rebuilt.signingKey());
    assertNotNull(skdm.toString());

    // Processing it works and yields a record that Bob can use (and fail on, typed).
    InMemorySenderKeyStore bob = SenderKeyFuzzFixture.get().newBobStore();
    new GroupSessionBuilder(bob).process(FuzzFixture.ALICE, skdm);
    assertNotNull(bob.loadSenderKey(FuzzFixture.ALICE, skdm.distributionId()));
    tryDecryptAll(bob);
  }

  @FuzzTest
  void senderKeyRecordFromBytes_anyBytes_yieldsUsableRecordOrThrowsInvalidRecord(byte[] input) {
    SenderKeyRecord record;
    try {
      record = SenderKeyRecord.fromBytes(input);
    } catch (InvalidRecordException e) {
      return;
    }
    byte[] serialized = record.serialize();
    assertArrayEquals(serialized, reparseRecord(serialized).serialize(), "not a fixed point");
    assertNotNull(record.toString());

    // As Bob's record of Alice's key: decrypting and processing fail only typed.
    InMemorySenderKeyStore bob = new InMemorySenderKeyStore();
    bob.storeSenderKey(FuzzFixture.ALICE, SenderKeyFuzzFixture.DISTRIBUTION_ID, record);
    tryDecryptAll(bob);
    try {
      new GroupSessionBuilder(bob)
          .process(
              FuzzFixture.ALICE,
              SenderKeyDistributionMessage.fromBytes(SenderKeyFuzzFixture.get().firstSkdm()));
    } catch (InvalidMessageException e) {
      throw new AssertionError("the fixture's SKDM does not parse", e);
    }
    assertNotNull(bob.loadSenderKey(FuzzFixture.ALICE, SenderKeyFuzzFixture.DISTRIBUTION_ID));

    // As our own sending record: encrypt succeeds or says there is no usable sending key.
    InMemorySenderKeyStore own = new InMemorySenderKeyStore();
    own.storeSenderKey(FuzzFixture.ALICE, SenderKeyFuzzFixture.DISTRIBUTION_ID, record);
    try {
      SenderKeyMessage m =
          new GroupCipher(own)
              .encrypt(
                  FuzzFixture.ALICE, SenderKeyFuzzFixture.DISTRIBUTION_ID, new byte[3], random());
      assertEquals(m, reparseMessage(m.serialize()));
    } catch (NoSessionException e) {
      assertArrayEquals(
          serialized,
          own.loadSenderKey(FuzzFixture.ALICE, SenderKeyFuzzFixture.DISTRIBUTION_ID).serialize(),
          "record changed by a failed encrypt");
    }
    new GroupSessionBuilder(own)
        .create(FuzzFixture.ALICE, SenderKeyFuzzFixture.DISTRIBUTION_ID, random());
  }

  @Test
  void fixtureMessages_decryptOrAreDuplicates_withTheFixtureRecord() throws Exception {
    SenderKeyFuzzFixture fixture = SenderKeyFuzzFixture.get();
    for (SenderKeyFuzzFixture.Sent sent : fixture.sent()) {
      GroupCipher bob = new GroupCipher(fixture.newBobStore());
      if (sent.delivered()) {
        assertThrows(
            DuplicateMessageException.class,
            () -> bob.decrypt(FuzzFixture.ALICE, sent.serialized()),
            sent.name());
      } else {
        assertArrayEquals(
            sent.plaintext(), bob.decrypt(FuzzFixture.ALICE, sent.serialized()), sent.name());
      }
    }
    assertEquals(6, fixture.sent().size());
  }

  /** Decrypts every fixture message with {@code bob}: each succeeds or fails typed. */
  private static void tryDecryptAll(InMemorySenderKeyStore bob) {
    for (SenderKeyFuzzFixture.Sent sent : SenderKeyFuzzFixture.get().sent()) {
      try {
        new GroupCipher(bob).decrypt(FuzzFixture.ALICE, sent.serialized());
      } catch (ProtocolException e) {
        // Typed: fine.
      }
    }
  }

  /** A failed decrypt must not have created a record under the message's distribution id. */
  private static void assertNoRecordForOtherDistribution(InMemorySenderKeyStore bob, byte[] input) {
    try {
      SenderKeyMessage m = SenderKeyMessage.fromBytes(input);
      if (!m.distributionId().equals(SenderKeyFuzzFixture.DISTRIBUTION_ID)) {
        assertNull(bob.loadSenderKey(FuzzFixture.ALICE, m.distributionId()));
      }
    } catch (InvalidMessageException e) {
      // Nothing parsed, nothing to look up.
    }
  }

  private static SenderKeyMessage reparseMessage(byte[] serialized) {
    try {
      return SenderKeyMessage.fromBytes(serialized);
    } catch (InvalidMessageException e) {
      throw new AssertionError("a message we accepted or wrote no longer parses", e);
    }
  }

  private static SenderKeyDistributionMessage reparseSkdm(byte[] serialized) {
    try {
      return SenderKeyDistributionMessage.fromBytes(serialized);
    } catch (InvalidMessageException e) {
      throw new AssertionError("a distribution message we accepted or wrote no longer parses", e);
    }
  }

  private static SenderKeyRecord reparseRecord(byte[] serialized) {
    try {
      return SenderKeyRecord.fromBytes(serialized);
    } catch (InvalidRecordException e) {
      throw new AssertionError("a record we accepted no longer parses", e);
    }
  }

  /** Signing randomness only; fixed so that every run of an input is the same. */
  private static SecureRandom random() {
    return FuzzFixture.seededRandom(RANDOM_SEED);
  }
}
