package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.sealed.SealedDecryptionResult;
import org.sotto.protocol.sealed.SealedSessionCipher;
import org.sotto.protocol.sealed.SenderCertificate;
import org.sotto.protocol.sealed.ServerCertificate;
import org.sotto.protocol.sealed.UnidentifiedSenderMessageContent;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * Sealed sender on arbitrary bytes. Bob ({@link SealedSenderFuzzFixture}) opens fuzzed envelopes:
 * only {@link ProtocolException} subclasses may escape, a failure leaves his session, trust,
 * prekeys and sender key as they were, and a success is possible only for a message Alice really
 * sealed and Bob had not yet received, with Alice as the sender. The certificate and content
 * parsers accept or throw their typed exception, what they accept round-trips, and a certificate
 * that validates says exactly what the server certified.
 */
class SealedSenderFuzzTest {
  private static final long RANDOM_SEED = 5;
  private static final Set<Integer> CONTENT_TYPES =
      Set.of(
          CiphertextMessage.WHISPER_TYPE,
          CiphertextMessage.PREKEY_TYPE,
          UnidentifiedSenderMessageContent.SENDERKEY_TYPE,
          UnidentifiedSenderMessageContent.PLAINTEXT_CONTENT_TYPE);

  @FuzzTest
  void decrypt_anyBytes_yieldsGenuinePlaintextOrFailsTypedWithoutStateChange(byte[] input) {
    SealedSenderFuzzFixture fixture = SealedSenderFuzzFixture.get();
    InMemorySignalProtocolStore bob = fixture.newBobStore();
    SealedDecryptionResult result;
    try {
      result = cipher(bob).decrypt(input, fixture.trustRootPublic(), TestParty.NOW, random());
    } catch (ProtocolException e) {
      assertBobUnchanged(fixture, bob);
      return;
    }
    SealedSenderFuzzFixture.Sent genuine = fixture.undeliveredWithPlaintext(result.plaintext());
    assertNotNull(genuine, "decrypted something Alice never sent, or a second time");
    assertEquals(SealedSenderFuzzFixture.ALICE, result.senderAddress(), genuine.name());
    assertEquals(fixture.aliceCertificate.identityKey(), result.senderCertificate().identityKey());
  }

  @FuzzTest
  void contentFromBytes_anyBytes_roundTripsOrThrowsInvalidMessageOrCertificate(byte[] input) {
    UnidentifiedSenderMessageContent content;
    try {
      content = UnidentifiedSenderMessageContent.fromBytes(input);
    } catch (InvalidMessageException | InvalidCertificateException e) {
      return;
    }
    assertArrayEquals(input, content.serialize());
    assertTrue(CONTENT_TYPES.contains(content.messageType()), "type " + content.messageType());
    assertNotNull(content.content());
    assertNotNull(content.contentHint());
    assertNotNull(content.groupId());
    assertNotNull(content.senderCertificate());
    assertNotNull(content.toString());
    UnidentifiedSenderMessageContent again;
    try {
      again = UnidentifiedSenderMessageContent.fromBytes(content.serialize());
    } catch (ProtocolException e) {
      throw new AssertionError("content we accepted no longer parses", e);
    }
    assertEquals(content, again);
  }

  @FuzzTest
  void senderCertificateFromBytes_anyBytes_roundTripsOrThrowsInvalidCertificate(byte[] input) {
    SenderCertificate cert;
    try {
      cert = SenderCertificate.fromBytes(input);
    } catch (InvalidCertificateException e) {
      return;
    }
    assertArrayEquals(input, cert.serialize());
    assertFalse(cert.senderUuid().isEmpty());
    assertTrue(
        cert.senderDeviceId() >= 1 && cert.senderDeviceId() <= ProtocolAddress.MAX_DEVICE_ID);
    assertNotNull(cert.senderAddress());
    assertNotNull(cert.serverCertificate());
    assertNotNull(cert.toString());
    try {
      assertEquals(cert, SenderCertificate.fromBytes(cert.serialize()));
    } catch (InvalidCertificateException e) {
      throw new AssertionError("a certificate we accepted no longer parses", e);
    }
    SealedSenderFuzzFixture fixture = SealedSenderFuzzFixture.get();
    try {
      cert.validate(fixture.trustRootPublic(), TestParty.NOW.toEpochMilli());
    } catch (InvalidCertificateException e) {
      return;
    }
    // Only what the server signed validates, and it says what the server certified.
    assertTrue(
        fixture.serverSigned().stream()
            .anyMatch(
                signed ->
                    signed.senderAddress().equals(cert.senderAddress())
                        && signed.identityKey().equals(cert.identityKey())
                        && signed.expiration() == cert.expiration()
                        && signed.senderE164().equals(cert.senderE164())
                        && signed.serverCertificate().equals(cert.serverCertificate())),
        "a certificate the server never signed validates");
  }

  @FuzzTest
  void serverCertificateFromBytes_anyBytes_roundTripsOrThrowsInvalidCertificate(byte[] input) {
    ServerCertificate cert;
    try {
      cert = ServerCertificate.fromBytes(input);
    } catch (InvalidCertificateException e) {
      return;
    }
    assertArrayEquals(input, cert.serialize());
    assertNotNull(cert.key());
    assertNotNull(cert.toString());
    SealedSenderFuzzFixture fixture = SealedSenderFuzzFixture.get();
    try {
      cert.validate(fixture.trustRootPublic());
    } catch (InvalidCertificateException e) {
      return;
    }
    assertEquals(fixture.serverCertificate.keyId(), cert.keyId());
    assertEquals(fixture.serverCertificate.key(), cert.key());
  }

  /**
   * Keeps the decrypt seeds meaningful: each genuine sealed message still opens (or is a duplicate)
   * with the fixture, so the fuzzer starts past both MACs.
   */
  @Test
  void genuineSeeds_undeliveredDecryptAndDeliveredAreDuplicates() throws Exception {
    SealedSenderFuzzFixture fixture = SealedSenderFuzzFixture.get();
    assertFalse(fixture.sent().isEmpty());
    for (SealedSenderFuzzFixture.Sent sent : fixture.sent()) {
      SealedSessionCipher bob = cipher(fixture.newBobStore());
      if (sent.delivered()) {
        assertThrows(
            DuplicateMessageException.class,
            () -> bob.decrypt(sent.sealed(), fixture.trustRootPublic(), TestParty.NOW, random()),
            sent.name());
      } else {
        SealedDecryptionResult r =
            bob.decrypt(sent.sealed(), fixture.trustRootPublic(), TestParty.NOW, random());
        assertArrayEquals(sent.plaintext(), r.plaintext(), sent.name());
      }
    }
  }

  private static SealedSessionCipher cipher(InMemorySignalProtocolStore bob) {
    return new SealedSessionCipher(bob, SealedSenderFuzzFixture.BOB);
  }

  private static void assertBobUnchanged(
      SealedSenderFuzzFixture fixture, InMemorySignalProtocolStore bob) {
    assertArrayEquals(
        fixture.bobSessionBytes(),
        bob.loadSession(SealedSenderFuzzFixture.ALICE).serialize(),
        "session changed by a failed decrypt");
    assertArrayEquals(
        fixture.bobSenderKeyBytes(),
        bob.loadSenderKey(SealedSenderFuzzFixture.ALICE, SealedSenderFuzzFixture.DISTRIBUTION_ID)
            .serialize(),
        "sender key changed by a failed decrypt");
    assertEquals(
        fixture.aliceIdentity.identityKey(),
        bob.getIdentity(SealedSenderFuzzFixture.ALICE),
        "trusted identity changed by a failed decrypt");
    for (PreKeyRecord preKey : fixture.bobPreKeys()) {
      assertTrue(bob.containsPreKey(preKey.id()), "one-time prekey consumed by a failed decrypt");
    }
    for (KyberPreKeyRecord preKey : fixture.bobKyberPreKeys()) {
      assertTrue(bob.containsKyberPreKey(preKey.id()), "Kyber prekey consumed by a failed decrypt");
    }
  }

  /** Bob's randomness only picks his next ratchet key; fixed so every run of an input is alike. */
  private static SecureRandom random() {
    return FuzzFixture.seededRandom(RANDOM_SEED);
  }
}
