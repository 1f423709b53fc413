package org.sotto.protocol.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.UntrustedIdentityException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.groups.GroupCipher;
import org.sotto.protocol.groups.GroupSessionBuilder;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.SenderKeyDistributionMessage;
import org.sotto.protocol.message.SenderKeyMessage;
import org.sotto.protocol.message.SignalMessage;

class SealedSessionCipherTest {
  private final SecureRandom rng = new SecureRandom();
  private final TestAuthority authority = new TestAuthority(rng);
  private final TestParty alice = new TestParty(rng);
  private final TestParty bob = new TestParty(rng);

  @Test
  void roundTrip_preKeyThenReplyThenWhisper_decryptsWithSenderFromCertificate() throws Exception {
    alice.startSessionWith(bob, true);
    byte[] first = sealed(alice, bob, "hello bob");
    SealedDecryptionResult r1 = open(bob, first);
    assertEquals("hello bob", text(r1));
    assertEquals(CiphertextMessage.PREKEY_TYPE, r1.messageType());
    assertEquals(alice.address.name(), r1.senderUuid());
    assertEquals(alice.address.deviceId(), r1.senderDeviceId());
    assertEquals(alice.address, r1.senderAddress());
    assertFalse(bob.store.containsPreKey(1), "the one-time prekey is used up");

    SealedDecryptionResult r2 = open(alice, sealed(bob, alice, "hello alice"));
    assertEquals("hello alice", text(r2));
    assertEquals(CiphertextMessage.WHISPER_TYPE, r2.messageType());
    assertEquals(bob.address, r2.senderAddress());

    SealedDecryptionResult r3 = open(bob, sealed(alice, bob, "after the reply"));
    assertEquals(CiphertextMessage.WHISPER_TYPE, r3.messageType());
    assertEquals("after the reply", text(r3));
  }

  @Test
  void staticAgreementMemo_onEitherSide_sealsAndOpensTheSameWayAndIsReused() throws Exception {
    alice.startSessionWith(bob, true);
    try (StaticAgreements aliceMemo = new StaticAgreements();
        StaticAgreements bobMemo = new StaticAgreements()) {
      SealedSessionCipher aliceWithMemo =
          new SealedSessionCipher(alice.store, alice.address, aliceMemo);
      SealedSessionCipher bobWithMemo = new SealedSessionCipher(bob.store, bob.address, bobMemo);
      for (int i = 0; i < 3; i++) {
        byte[] fromMemo =
            aliceWithMemo.encrypt(
                bob.address, authority.issue(alice), utf8("memo " + i), TestParty.NOW, rng);
        // Opened without a memo: the bytes are what a sender without one seals.
        assertEquals("memo " + i, text(open(bob, fromMemo)));
        byte[] plain = sealed(alice, bob, "plain " + i);
        assertEquals(
            "plain " + i,
            text(bobWithMemo.decrypt(plain, authority.trustRoot.publicKey(), TestParty.NOW, rng)));
      }
      // One contact each: the agreement is kept once and reused for every message.
      assertEquals(1, aliceMemo.size());
      assertEquals(1, bobMemo.size());
      assertEquals("StaticAgreements[1 held, redacted]", aliceMemo.toString());

      // An altered message still fails its MAC with the memo, and changes nothing.
      byte[] altered = sealed(alice, bob, "x");
      altered[altered.length - 1] ^= 1;
      byte[] session = bob.sessionBytes(alice);
      assertThrows(
          InvalidMessageException.class,
          () -> bobWithMemo.decrypt(altered, authority.trustRoot.publicKey(), TestParty.NOW, rng));
      assertArrayEquals(session, bob.sessionBytes(alice));
    }
  }

  @Test
  void staticAgreementMemo_afterClose_keepsNothing() throws Exception {
    StaticAgreements memo = new StaticAgreements();
    ECKeyPair ours = ECKeyPair.generate(rng);
    ECPublicKey theirs = ECKeyPair.generate(rng).publicKey();
    byte[] first = memo.agree(ours.privateKey(), ours.publicKey(), theirs);
    assertArrayEquals(first, memo.agree(ours.privateKey(), ours.publicKey(), theirs));
    assertArrayEquals(ours.privateKey().calculateAgreement(theirs), first);
    assertEquals(1, memo.size());
    // Kept, not recomputed: the same public keys answer from memory whatever private key comes.
    assertArrayEquals(
        first, memo.agree(ECKeyPair.generate(rng).privateKey(), ours.publicKey(), theirs));
    byte[] lowOrder = new byte[ECPublicKey.SERIALIZED_LENGTH];
    lowOrder[0] = ECPublicKey.TYPE_DJB;
    ECPublicKey zero = ECPublicKey.fromBytes(lowOrder);
    assertThrows(
        org.sotto.protocol.InvalidKeyException.class,
        () -> memo.agree(ours.privateKey(), ours.publicKey(), zero));
    assertEquals(1, memo.size());
    memo.close();
    assertEquals(0, memo.size());
    assertArrayEquals(first, memo.agree(ours.privateKey(), ours.publicKey(), theirs));
    assertEquals(0, memo.size());
  }

  @Test
  void staticAgreementMemo_beyondCapacity_keepsTheMostRecent() throws Exception {
    StaticAgreements memo = new StaticAgreements();
    ECKeyPair ours = ECKeyPair.generate(rng);
    for (int i = 0; i < StaticAgreements.CAPACITY + 5; i++) {
      memo.agree(ours.privateKey(), ours.publicKey(), ECKeyPair.generate(rng).publicKey());
    }
    assertEquals(StaticAgreements.CAPACITY, memo.size());
  }

  @Test
  void sealedMessage_wireFormat_versionByteAndFieldsAsLibsignal() throws Exception {
    alice.startSessionWith(bob, true);
    byte[] sealed = sealed(alice, bob, "x");
    assertEquals(0x11, sealed[0] & 0xFF);
    SealedV1Envelope envelope = SealedV1Envelope.parse(sealed);
    assertEquals(33 + SealedV1Keys.MAC_LENGTH, envelope.encryptedStatic().length);
    assertArrayEquals(sealed, envelope.serialize());
  }

  @Test
  void decrypt_versionBytesWithRequiredVersionZeroOrOne_acceptedLikeLibsignal() throws Exception {
    alice.startSessionWith(bob, true);
    byte[] sealed = sealed(alice, bob, "x");
    sealed[0] = 0x01;
    assertEquals("x", text(open(bob, sealed)));
  }

  @Test
  void decrypt_otherVersions_throwInvalidMessage() throws Exception {
    alice.startSessionWith(bob, true);
    byte[] sealed = sealed(alice, bob, "x");
    for (int version : new int[] {0x22, 0x23, 0x31, 0xF1}) {
      byte[] other = sealed.clone();
      other[0] = (byte) version;
      assertFailsWithoutStateChange(InvalidMessageException.class, bob, alice, other);
    }
  }

  @Test
  void decrypt_expiredCertificate_throwsInvalidCertificateAndStoresNothing() throws Exception {
    alice.startSessionWith(bob, true);
    SenderCertificate cert =
        authority.issue(alice.address, alice.identity.identityKey(), TestAuthority.NOW_MS - 1);
    byte[] sealed = cipher(alice).encrypt(bob.address, cert, utf8("late"), TestParty.NOW, rng);
    assertFailsWithoutStateChange(InvalidCertificateException.class, bob, alice, sealed);
  }

  @Test
  void decrypt_certificateFromAnotherTrustRoot_throwsInvalidCertificateAndStoresNothing()
      throws Exception {
    alice.startSessionWith(bob, true);
    TestAuthority rogue = new TestAuthority(rng);
    byte[] sealed =
        cipher(alice).encrypt(bob.address, rogue.issue(alice), utf8("hi"), TestParty.NOW, rng);
    assertFailsWithoutStateChange(InvalidCertificateException.class, bob, alice, sealed);
  }

  @Test
  void decrypt_serverCertificateSignedByAnotherRoot_throwsInvalidCertificateAndStoresNothing()
      throws Exception {
    alice.startSessionWith(bob, true);
    ServerCertificate rogueServer =
        ServerCertificate.create(
            1, authority.serverKey.publicKey(), ECKeyPair.generate(rng).privateKey(), rng);
    SenderCertificate cert =
        SenderCertificate.create(
            alice.address.name(),
            alice.address.deviceId(),
            alice.identity.identityKey(),
            TestAuthority.EXPIRATION_MS,
            rogueServer,
            authority.serverKey.privateKey(),
            rng);
    byte[] sealed = cipher(alice).encrypt(bob.address, cert, utf8("hi"), TestParty.NOW, rng);
    assertFailsWithoutStateChange(InvalidCertificateException.class, bob, alice, sealed);
  }

  /** A sender seals with its own identity a certificate naming someone else's key. */
  @Test
  void decrypt_sealedWithAnotherIdentityThanTheCertificates_throwsInvalidMessage()
      throws Exception {
    alice.startSessionWith(bob, true);
    CiphertextMessage inner = alice.encrypt(bob, "hi");
    IdentityKeyPair mallory = IdentityKeyPair.generate(rng);
    byte[] sealed =
        SealedSessionCipher.seal(
            bob.identity.identityKey(),
            mallory,
            UnidentifiedSenderMessageContent.create(inner, authority.issue(alice)).serialize(),
            rng);
    InvalidMessageException e =
        assertFailsWithoutStateChange(InvalidMessageException.class, bob, alice, sealed);
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  /**
   * Mallory holds a valid certificate for Alice's address but her own key, and wraps a genuine
   * PreKey message of Alice's: the certificate and the static key agree, the inner message's
   * identity does not.
   */
  @Test
  void decrypt_preKeyMessageFromAnotherIdentityThanTheCertificates_throwsInvalidMessage()
      throws Exception {
    alice.startSessionWith(bob, true);
    CiphertextMessage inner = alice.encrypt(bob, "hi");
    IdentityKeyPair mallory = IdentityKeyPair.generate(rng);
    SenderCertificate forAliceWithMallorysKey =
        authority.issue(alice.address, mallory.identityKey(), TestAuthority.EXPIRATION_MS);
    byte[] sealed =
        SealedSessionCipher.seal(
            bob.identity.identityKey(),
            mallory,
            UnidentifiedSenderMessageContent.create(inner, forAliceWithMallorysKey).serialize(),
            rng);
    InvalidMessageException e =
        assertFailsWithoutStateChange(InvalidMessageException.class, bob, alice, sealed);
    assertTrue(e.getMessage().contains("certificate's identity"), e.getMessage());
    assertTrue(bob.store.containsPreKey(1), "prekey kept");
    assertFalse(bob.store.containsSession(alice.address), "no session stored");
  }

  @Test
  void decrypt_whisperMessageFromAnotherIdentityThanTheCertificates_throwsInvalidMessage()
      throws Exception {
    establish();
    CiphertextMessage inner = alice.encrypt(bob, "hi");
    assertEquals(CiphertextMessage.WHISPER_TYPE, inner.type());
    IdentityKeyPair mallory = IdentityKeyPair.generate(rng);
    SenderCertificate forAliceWithMallorysKey =
        authority.issue(alice.address, mallory.identityKey(), TestAuthority.EXPIRATION_MS);
    byte[] sealed =
        SealedSessionCipher.seal(
            bob.identity.identityKey(),
            mallory,
            UnidentifiedSenderMessageContent.create(inner, forAliceWithMallorysKey).serialize(),
            rng);
    InvalidMessageException e =
        assertFailsWithoutStateChange(InvalidMessageException.class, bob, alice, sealed);
    assertTrue(e.getMessage().contains("certificate's identity"), e.getMessage());
    // The genuine message still decrypts afterwards.
    assertEquals("hi", bob.decrypt(alice, inner));
  }

  @Test
  void decrypt_fromThisVeryDevice_throwsInvalidMessage() throws Exception {
    alice.startSessionWith(bob, true);
    CiphertextMessage inner = alice.encrypt(bob, "hi");
    SenderCertificate bobsOwn = authority.issue(bob);
    byte[] sealed =
        SealedSessionCipher.seal(
            bob.identity.identityKey(),
            bob.identity,
            UnidentifiedSenderMessageContent.create(inner, bobsOwn).serialize(),
            rng);
    InvalidMessageException e =
        assertFailsWithoutStateChange(InvalidMessageException.class, bob, alice, sealed);
    assertTrue(e.getMessage().contains("this very device"), e.getMessage());
  }

  @Test
  void decrypt_fromOwnOtherDevice_isNotASelfSend() throws Exception {
    TestParty bob2 = new TestParty(rng, new ProtocolAddress(bob.address.name(), 2), bob.identity);
    bob2.startSessionWith(bob, true);
    SealedDecryptionResult r = open(bob, sealed(bob2, bob, "from my laptop"));
    assertEquals("from my laptop", text(r));
    assertEquals(2, r.senderDeviceId());
  }

  @Test
  void decrypt_duplicate_throwsDuplicateMessage() throws Exception {
    alice.startSessionWith(bob, true);
    byte[] sealed = sealed(alice, bob, "once");
    open(bob, sealed);
    assertFailsWithoutStateChange(DuplicateMessageException.class, bob, alice, sealed);
  }

  @Test
  void decrypt_everyByteFlipped_failsTypedWithoutStateChange() throws Exception {
    establish();
    byte[] sealed = sealed(alice, bob, "tamper with me");
    for (int i = 1; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertFailsWithoutStateChange(ProtocolException.class, bob, alice, tampered);
    }
    assertEquals("tamper with me", text(open(bob, sealed)));
  }

  @Test
  void decrypt_truncatedOrEmpty_failsTypedWithoutStateChange() throws Exception {
    establish();
    byte[] sealed = sealed(alice, bob, "cut me");
    for (int length = 0; length < sealed.length; length += 7) {
      byte[] cut = java.util.Arrays.copyOf(sealed, length);
      assertFailsWithoutStateChange(InvalidMessageException.class, bob, alice, cut);
    }
  }

  @Test
  void decrypt_noSessionForWhisperMessage_throwsNoSession() throws Exception {
    establish();
    byte[] sealed = sealed(alice, bob, "after");
    TestParty freshBob = new TestParty(rng, bob.address, bob.identity);
    assertThrows(NoSessionException.class, () -> open(freshBob, sealed));
  }

  @Test
  void decrypt_untrustedSender_throwsUntrustedIdentityAndStoresNothing() throws Exception {
    alice.startSessionWith(bob, true);
    byte[] sealed = sealed(alice, bob, "hi");
    bob.store.saveIdentity(alice.address, IdentityKeyPair.generate(rng).identityKey());
    assertFailsWithoutStateChange(UntrustedIdentityException.class, bob, alice, sealed);
  }

  @Test
  void roundTrip_groupMessage_decryptsWithTheCertifiedSendersSenderKey() throws Exception {
    UUID distributionId = UUID.randomUUID();
    SenderKeyDistributionMessage skdm =
        new GroupSessionBuilder(alice.store).create(alice.address, distributionId, rng);
    new GroupSessionBuilder(bob.store).process(alice.address, skdm);
    bob.store.saveIdentity(alice.address, alice.identity.identityKey());
    alice.store.saveIdentity(bob.address, bob.identity.identityKey());
    SenderKeyMessage groupMessage =
        new GroupCipher(alice.store).encrypt(alice.address, distributionId, utf8("to all"), rng);
    byte[] groupId = {9, 9};
    UnidentifiedSenderMessageContent content =
        UnidentifiedSenderMessageContent.create(
            groupMessage.type(),
            authority.issue(alice),
            groupMessage.serialize(),
            ContentHint.RESENDABLE,
            groupId);
    byte[] sealed = cipher(alice).encrypt(bob.address, content, rng);

    UnidentifiedSenderMessageContent opened =
        cipher(bob).decryptToContent(sealed, authority.trustRoot.publicKey(), TestAuthority.NOW_MS);
    assertEquals(content, opened);
    assertEquals(UnidentifiedSenderMessageContent.SENDERKEY_TYPE, opened.messageType());
    assertArrayEquals(groupId, opened.groupId().orElseThrow());
    assertEquals(ContentHint.RESENDABLE, opened.contentHint());

    SealedDecryptionResult r = open(bob, sealed);
    assertEquals("to all", text(r));
    assertEquals(UnidentifiedSenderMessageContent.SENDERKEY_TYPE, r.messageType());
    assertEquals(alice.address, r.senderAddress());
    assertThrows(DuplicateMessageException.class, () -> open(bob, sealed));
  }

  @Test
  void decrypt_groupMessageWithoutTheSendersKey_throwsNoSession() throws Exception {
    UUID distributionId = UUID.randomUUID();
    new GroupSessionBuilder(alice.store).create(alice.address, distributionId, rng);
    alice.store.saveIdentity(bob.address, bob.identity.identityKey());
    SenderKeyMessage groupMessage =
        new GroupCipher(alice.store).encrypt(alice.address, distributionId, utf8("x"), rng);
    byte[] sealed =
        cipher(alice)
            .encrypt(
                bob.address,
                UnidentifiedSenderMessageContent.create(groupMessage, authority.issue(alice)),
                rng);
    assertThrows(NoSessionException.class, () -> open(bob, sealed));
  }

  @Test
  void decrypt_plaintextContent_throwsInvalidMessageButDecryptToContentReadsIt() throws Exception {
    alice.store.saveIdentity(bob.address, bob.identity.identityKey());
    UnidentifiedSenderMessageContent content =
        UnidentifiedSenderMessageContent.create(
            UnidentifiedSenderMessageContent.PLAINTEXT_CONTENT_TYPE,
            authority.issue(alice),
            new byte[] {(byte) 0xC0, 1},
            ContentHint.IMPLICIT,
            null);
    byte[] sealed = cipher(alice).encrypt(bob.address, content, rng);
    assertEquals(
        content,
        cipher(bob)
            .decryptToContent(sealed, authority.trustRoot.publicKey(), TestAuthority.NOW_MS));
    assertFailsWithoutStateChange(InvalidMessageException.class, bob, alice, sealed);
  }

  @Test
  void decryptToContent_storesNothing() throws Exception {
    alice.startSessionWith(bob, true);
    byte[] sealed = sealed(alice, bob, "peek");
    UnidentifiedSenderMessageContent c =
        cipher(bob).decryptToContent(sealed, authority.trustRoot.publicKey(), TestAuthority.NOW_MS);
    assertEquals(CiphertextMessage.PREKEY_TYPE, c.messageType());
    assertFalse(bob.store.containsSession(alice.address));
    assertEquals("peek", text(open(bob, sealed)));
  }

  @Test
  void decrypt_withAnyOfSeveralTrustRoots_acceptsOnlyWithTheSigningRoot() throws Exception {
    alice.startSessionWith(bob, true);
    byte[] sealed = sealed(alice, bob, "rotated");
    ECPublicKey other = ECKeyPair.generate(rng).publicKey();
    assertThrows(
        InvalidCertificateException.class,
        () -> cipher(bob).decrypt(sealed, List.of(other), TestParty.NOW, rng));
    assertThrows(
        InvalidCertificateException.class,
        () -> cipher(bob).decrypt(sealed, List.of(), TestParty.NOW, rng));
    SealedDecryptionResult r =
        cipher(bob)
            .decrypt(sealed, List.of(other, authority.trustRoot.publicKey()), TestParty.NOW, rng);
    assertEquals("rotated", text(r));
  }

  @Test
  void encrypt_certificateForAnotherIdentity_throwsInvalidCertificateAndStoresNothing()
      throws Exception {
    alice.startSessionWith(bob, true);
    byte[] before = alice.sessionBytes(bob);
    SenderCertificate bobs = authority.issue(bob);
    assertThrows(
        InvalidCertificateException.class,
        () -> cipher(alice).encrypt(bob.address, bobs, utf8("x"), TestParty.NOW, rng));
    assertArrayEquals(before, alice.sessionBytes(bob));
  }

  @Test
  void encrypt_lowOrderRecipientIdentity_throwsInvalidKeyBeforeTheSessionAdvances()
      throws Exception {
    alice.startSessionWith(bob, true);
    byte[] before = alice.sessionBytes(bob);
    byte[] zero = new byte[33];
    zero[0] = 0x05;
    alice.store.saveIdentity(bob.address, org.sotto.protocol.IdentityKey.fromBytes(zero));
    SenderCertificate cert = authority.issue(alice);
    assertThrows(
        org.sotto.protocol.InvalidKeyException.class,
        () -> cipher(alice).encrypt(bob.address, cert, utf8("x"), TestParty.NOW, rng));
    assertArrayEquals(before, alice.sessionBytes(bob));
  }

  @Test
  void encrypt_unknownRecipient_throwsNoSession() {
    ProtocolAddress stranger = new ProtocolAddress(UUID.randomUUID().toString(), 1);
    SenderCertificate cert = authority.issue(alice);
    assertThrows(
        NoSessionException.class,
        () -> cipher(alice).encrypt(stranger, cert, utf8("x"), TestParty.NOW, rng));
  }

  @Test
  void encrypt_untrustedRecipient_throwsUntrustedIdentity() throws Exception {
    alice.startSessionWith(bob, true);
    alice.store.saveIdentity(bob.address, IdentityKeyPair.generate(rng).identityKey());
    SenderCertificate cert = authority.issue(alice);
    assertThrows(
        UntrustedIdentityException.class,
        () -> cipher(alice).encrypt(bob.address, cert, utf8("x"), TestParty.NOW, rng));
  }

  @Test
  void toString_resultsAndCiphers_showNoPlaintextSenderOrKeys() throws Exception {
    alice.startSessionWith(bob, true);
    SealedDecryptionResult r = open(bob, sealed(alice, bob, "secret words"));
    String s =
        r
            + " "
            + cipher(bob)
            + " "
            + r.senderCertificate()
            + " "
            + SealedV1Keys.ephemeral(
                alice.identity.privateKey(),
                bob.identity.identityKey().publicKey(),
                bob.identity.identityKey().publicKey(),
                alice.identity.identityKey().publicKey());
    assertFalse(s.contains("secret"), s);
    assertFalse(s.contains(alice.address.name()), s);
    assertFalse(
        s.contains(HexFormat.of().formatHex(bob.identity.privateKey().serialize(), 0, 4)), s);
  }

  @Test
  void result_equalsAndPlaintextCopy_byValue() throws Exception {
    SenderCertificate cert = authority.issue(alice);
    byte[] plaintext = utf8("p");
    SealedDecryptionResult r = new SealedDecryptionResult(cert, 2, plaintext);
    plaintext[0] = 'q';
    assertEquals(new SealedDecryptionResult(cert, 2, utf8("p")), r);
    assertEquals(new SealedDecryptionResult(cert, 2, utf8("p")).hashCode(), r.hashCode());
    r.plaintext()[0] = 'q';
    assertArrayEquals(utf8("p"), r.plaintext());
  }

  // ---------------------------------------------------------------------------------------------

  private void establish() throws Exception {
    alice.startSessionWith(bob, true);
    assertEquals("a", bob.decrypt(alice, alice.encrypt(bob, "a")));
    assertEquals("b", alice.decrypt(bob, bob.encrypt(alice, "b")));
    assertEquals(SignalMessage.class, alice.encrypt(bob, "c").getClass());
  }

  private SealedSessionCipher cipher(TestParty party) {
    return new SealedSessionCipher(party.store, party.address);
  }

  private byte[] sealed(TestParty from, TestParty to, String text) throws Exception {
    return cipher(from).encrypt(to.address, authority.issue(from), utf8(text), TestParty.NOW, rng);
  }

  private SealedDecryptionResult open(TestParty to, byte[] sealed) throws Exception {
    return cipher(to).decrypt(sealed, authority.trustRoot.publicKey(), TestParty.NOW, rng);
  }

  /**
   * Decrypting fails with {@code expected} (or a subclass) and leaves {@code to}'s session with
   * {@code from}, trust and prekeys as they were.
   */
  private <T extends ProtocolException> T assertFailsWithoutStateChange(
      Class<T> expected, TestParty to, TestParty from, byte[] sealed) {
    byte[] session = to.sessionBytes(from);
    var identity = to.store.getIdentity(from.address);
    boolean preKey = to.store.containsPreKey(1);
    boolean kyberPreKey = to.store.containsKyberPreKey(1);
    T e = assertThrows(expected, () -> open(to, sealed));
    assertArrayEquals(session, to.sessionBytes(from), "session changed by a failed decrypt");
    assertEquals(identity, to.store.getIdentity(from.address), "trust changed");
    assertEquals(preKey, to.store.containsPreKey(1), "prekey consumed");
    assertEquals(kyberPreKey, to.store.containsKyberPreKey(1), "Kyber prekey consumed");
    return e;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(SealedDecryptionResult r) {
    return new String(r.plaintext(), StandardCharsets.UTF_8);
  }
}
