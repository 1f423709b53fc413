package org.sotto.protocol.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.SealedProtos;

class SenderCertificateTest {
  private static final String UUID_STRING = "9d0652a3-dcc3-4d11-975f-74d61598733f";
  private static final ProtocolAddress ALICE = new ProtocolAddress(UUID_STRING, 3);

  private final SecureRandom rng = new SecureRandom();
  private final TestAuthority authority = new TestAuthority(rng);
  private final IdentityKeyPair alice = IdentityKeyPair.generate(rng);

  @Test
  void create_thenFromBytes_roundTripsEveryField() throws Exception {
    SenderCertificate cert = authority.issue(ALICE, alice.identityKey(), 1_700_000_000_123L);
    SenderCertificate parsed = SenderCertificate.fromBytes(cert.serialize());
    assertEquals(cert, parsed);
    assertArrayEquals(cert.serialize(), parsed.serialize());
    assertEquals(UUID_STRING, parsed.senderUuid());
    assertEquals(3, parsed.senderDeviceId());
    assertEquals(ALICE, parsed.senderAddress());
    assertEquals(alice.identityKey(), parsed.identityKey());
    assertEquals(1_700_000_000_123L, parsed.expiration());
    assertEquals(Optional.empty(), parsed.senderE164());
    assertEquals(authority.serverCertificate, parsed.serverCertificate());
    assertEquals(1, parsed.serverCertificate().keyId());
  }

  @Test
  void validate_untilAndIncludingExpiration_passes() throws Exception {
    SenderCertificate cert = authority.issue(ALICE, alice.identityKey(), 5_000);
    cert.validate(authority.trustRoot.publicKey(), 0);
    cert.validate(authority.trustRoot.publicKey(), 5_000);
  }

  @Test
  void validate_oneMillisecondAfterExpiration_throwsInvalidCertificate() {
    SenderCertificate cert = authority.issue(ALICE, alice.identityKey(), 5_000);
    InvalidCertificateException e =
        assertThrows(
            InvalidCertificateException.class,
            () -> cert.validate(authority.trustRoot.publicKey(), 5_001));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  @Test
  void validate_signaturesRememberedFromAnEarlierCheck_expiryRootAndAlterationsStillChecked()
      throws Exception {
    SenderCertificate cert = authority.issue(ALICE, alice.identityKey(), 5_000);
    cert.validate(authority.trustRoot.publicKey(), 0);
    cert.validate(authority.trustRoot.publicKey(), 0);

    assertThrows(
        InvalidCertificateException.class,
        () -> cert.validate(authority.trustRoot.publicKey(), 5_001));
    assertThrows(
        InvalidCertificateException.class,
        () -> cert.validate(ECKeyPair.generate(rng).publicKey(), 0));
    SealedProtos.SenderCertificate outer =
        SealedProtos.SenderCertificate.parseFrom(cert.serialize());
    SealedProtos.SenderCertificate.Certificate later =
        SealedProtos.SenderCertificate.Certificate.parseFrom(outer.getCertificate()).toBuilder()
            .setExpires(Long.MAX_VALUE)
            .build();
    SenderCertificate altered =
        SenderCertificate.fromBytes(
            outer.toBuilder().setCertificate(later.toByteString()).build().toByteArray());
    assertThrows(
        InvalidCertificateException.class,
        () -> altered.validate(authority.trustRoot.publicKey(), 0));
  }

  @Test
  void validate_otherTrustRoot_throwsInvalidCertificate() {
    SenderCertificate cert = authority.issue(ALICE, alice.identityKey(), 5_000);
    ECPublicKey otherRoot = ECKeyPair.generate(rng).publicKey();
    assertThrows(InvalidCertificateException.class, () -> cert.validate(otherRoot, 0));
  }

  @Test
  void validate_serverCertificateSignedByAnotherRoot_throwsInvalidCertificate() throws Exception {
    ECKeyPair otherRoot = ECKeyPair.generate(rng);
    ServerCertificate rogueServer =
        ServerCertificate.create(1, authority.serverKey.publicKey(), otherRoot.privateKey(), rng);
    SenderCertificate cert =
        SenderCertificate.create(
            UUID_STRING,
            1,
            alice.identityKey(),
            5_000,
            rogueServer,
            authority.serverKey.privateKey(),
            rng);
    assertThrows(
        InvalidCertificateException.class, () -> cert.validate(authority.trustRoot.publicKey(), 0));
    cert.validate(otherRoot.publicKey(), 0);
  }

  @Test
  void validate_signedByAnotherKeyThanTheServerCertificates_throwsInvalidCertificate()
      throws Exception {
    ECPrivateKey impostor = ECKeyPair.generate(rng).privateKey();
    byte[] forged =
        resign(authority.issue(ALICE, alice.identityKey(), 5_000).serialize(), b -> {}, impostor);
    SenderCertificate cert = SenderCertificate.fromBytes(forged);
    InvalidCertificateException e =
        assertThrows(
            InvalidCertificateException.class,
            () -> cert.validate(authority.trustRoot.publicKey(), 0));
    assertTrue(e.getMessage().contains("not signed by its server"), e.getMessage());
  }

  @Test
  void validate_alteredAfterSigning_throwsInvalidCertificate() throws Exception {
    byte[] serialized = authority.issue(ALICE, alice.identityKey(), 5_000).serialize();
    SealedProtos.SenderCertificate outer = SealedProtos.SenderCertificate.parseFrom(serialized);
    SealedProtos.SenderCertificate.Certificate later =
        SealedProtos.SenderCertificate.Certificate.parseFrom(outer.getCertificate()).toBuilder()
            .setExpires(Long.MAX_VALUE)
            .build();
    SenderCertificate cert =
        SenderCertificate.fromBytes(
            outer.toBuilder().setCertificate(later.toByteString()).build().toByteArray());
    assertThrows(
        InvalidCertificateException.class, () -> cert.validate(authority.trustRoot.publicKey(), 0));
  }

  @Test
  void validate_revokedServerKeyId_throwsInvalidCertificate() throws Exception {
    ServerCertificate revoked =
        ServerCertificate.create(
            0xDEADC357, authority.serverKey.publicKey(), authority.trustRoot.privateKey(), rng);
    SenderCertificate cert =
        SenderCertificate.create(
            UUID_STRING,
            1,
            alice.identityKey(),
            5_000,
            revoked,
            authority.serverKey.privateKey(),
            rng);
    InvalidCertificateException e =
        assertThrows(
            InvalidCertificateException.class,
            () -> cert.validate(authority.trustRoot.publicKey(), 0));
    assertTrue(e.getMessage().contains("revoked"), e.getMessage());
  }

  @Test
  void validate_anyOfSeveralTrustRoots_passesOnlyWithTheSigningRoot() throws Exception {
    SenderCertificate cert = authority.issue(ALICE, alice.identityKey(), 5_000);
    ECPublicKey a = ECKeyPair.generate(rng).publicKey();
    ECPublicKey b = ECKeyPair.generate(rng).publicKey();
    cert.validate(List.of(a, authority.trustRoot.publicKey(), b), 0);
    assertThrows(InvalidCertificateException.class, () -> cert.validate(List.of(a, b), 0));
    assertThrows(InvalidCertificateException.class, () -> cert.validate(List.of(), 0));
  }

  @Test
  void validate_expirationAboveLongMax_isFarFutureAsInLibsignal() throws Exception {
    byte[] bytes =
        resign(
            authority.issue(ALICE, alice.identityKey(), 5_000).serialize(),
            b -> b.setExpires(-1L),
            authority.serverKey.privateKey());
    SenderCertificate cert = SenderCertificate.fromBytes(bytes);
    assertEquals(-1L, cert.expiration());
    cert.validate(authority.trustRoot.publicKey(), Long.MAX_VALUE);
  }

  @Test
  void fromBytes_uuidAsSixteenBytes_readsTheUuidString() throws Exception {
    UUID uuid = UUID.fromString(UUID_STRING);
    byte[] raw =
        ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits())
            .array();
    byte[] bytes =
        resign(
            authority.issue(ALICE, alice.identityKey(), 5_000).serialize(),
            b -> b.setUuidBytes(ByteString.copyFrom(raw)),
            authority.serverKey.privateKey());
    SenderCertificate cert = SenderCertificate.fromBytes(bytes);
    assertEquals(UUID_STRING, cert.senderUuid());
    cert.validate(authority.trustRoot.publicKey(), 0);
  }

  @Test
  void fromBytes_uuidBytesOfWrongLength_throwsInvalidCertificate() throws Exception {
    byte[] bytes =
        resign(
            authority.issue(ALICE, alice.identityKey(), 5_000).serialize(),
            b -> b.setUuidBytes(ByteString.copyFrom(new byte[15])),
            authority.serverKey.privateKey());
    assertThrows(InvalidCertificateException.class, () -> SenderCertificate.fromBytes(bytes));
  }

  @Test
  void fromBytes_unknownServerCertificateId_throwsInvalidCertificate() throws Exception {
    byte[] bytes =
        resign(
            authority.issue(ALICE, alice.identityKey(), 5_000).serialize(),
            b -> b.setSignerId(5),
            authority.serverKey.privateKey());
    assertThrows(InvalidCertificateException.class, () -> SenderCertificate.fromBytes(bytes));
  }

  @Test
  void fromBytes_unknownFieldsAndPhoneNumber_keptAndReadAsLibsignalDoes() throws Exception {
    byte[] bytes =
        resign(
            authority.issue(ALICE, alice.identityKey(), 5_000).serialize(),
            b -> {
              b.setSenderE164(ByteString.copyFromUtf8("+15551234567"));
              b.setUnknownFields(
                  com.google.protobuf.UnknownFieldSet.newBuilder()
                      .addField(
                          99,
                          com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                              .addLengthDelimited(ByteString.copyFromUtf8("x"))
                              .build())
                      .build());
            },
            authority.serverKey.privateKey());
    SenderCertificate cert = SenderCertificate.fromBytes(bytes);
    assertEquals(Optional.of("+15551234567"), cert.senderE164());
    assertArrayEquals(bytes, cert.serialize());
    cert.validate(authority.trustRoot.publicKey(), 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 128, -1})
  void fromBytes_deviceIdOutOfRange_throwsInvalidCertificate(int device) throws Exception {
    byte[] bytes =
        resign(
            authority.issue(ALICE, alice.identityKey(), 5_000).serialize(),
            b -> b.setSenderDevice(device),
            authority.serverKey.privateKey());
    assertThrows(InvalidCertificateException.class, () -> SenderCertificate.fromBytes(bytes));
  }

  @Test
  void fromBytes_missingFields_throwsInvalidCertificate() throws Exception {
    List<Consumer<SealedProtos.SenderCertificate.Certificate.Builder>> edits =
        List.of(
            b -> b.clearSenderDevice(),
            b -> b.clearExpires(),
            b -> b.clearIdentityKey(),
            b -> b.clearSigner(),
            b -> b.clearSenderUuid(),
            b -> b.setUuidString(ByteString.EMPTY),
            b -> b.setUuidString(ByteString.copyFrom(new byte[] {(byte) 0xC3})),
            b -> b.setIdentityKey(ByteString.copyFrom(new byte[34])),
            b -> b.setSignerCertificate(ByteString.copyFrom(new byte[] {1, 2, 3})));
    byte[] genuine = authority.issue(ALICE, alice.identityKey(), 5_000).serialize();
    for (Consumer<SealedProtos.SenderCertificate.Certificate.Builder> edit : edits) {
      byte[] bytes = resign(genuine, edit, authority.serverKey.privateKey());
      assertThrows(InvalidCertificateException.class, () -> SenderCertificate.fromBytes(bytes));
    }
    assertThrows(InvalidCertificateException.class, () -> SenderCertificate.fromBytes(new byte[0]));
    assertThrows(
        InvalidCertificateException.class,
        () -> SenderCertificate.fromBytes(Arrays.copyOf(genuine, genuine.length - 1)));
  }

  @Test
  void create_signerKeyNotTheServerCertificates_throwsInvalidKey() {
    assertThrows(
        InvalidKeyException.class,
        () ->
            SenderCertificate.create(
                UUID_STRING,
                1,
                alice.identityKey(),
                5_000,
                authority.serverCertificate,
                ECKeyPair.generate(rng).privateKey(),
                rng));
  }

  @Test
  void create_badArguments_throwIllegalArgument() {
    IdentityKey key = alice.identityKey();
    ServerCertificate server = authority.serverCertificate;
    ECPrivateKey serverKey = authority.serverKey.privateKey();
    assertThrows(
        IllegalArgumentException.class,
        () -> SenderCertificate.create("", 1, key, 5_000, server, serverKey, rng));
    assertThrows(
        IllegalArgumentException.class,
        () -> SenderCertificate.create(UUID_STRING, 0, key, 5_000, server, serverKey, rng));
    assertThrows(
        IllegalArgumentException.class,
        () -> SenderCertificate.create(UUID_STRING, 1, key, -1, server, serverKey, rng));
  }

  @Test
  void toString_anyCertificate_showsNeitherSenderUuidNorKeyMaterial() {
    SenderCertificate cert = authority.issue(ALICE, alice.identityKey(), 5_000);
    String s = cert.toString() + authority.serverCertificate;
    assertFalse(s.contains(UUID_STRING), s);
    String privateHex = HexFormat.of().formatHex(authority.serverKey.privateKey().serialize());
    assertFalse(s.contains(privateHex.substring(0, 8)), s);
    assertFalse(
        s.contains(HexFormat.of().formatHex(alice.identityKey().serialize())), "full key in " + s);
  }

  /** Edits the inner certificate of {@code serialized} and signs it again with {@code signer}. */
  static byte[] resign(
      byte[] serialized,
      Consumer<SealedProtos.SenderCertificate.Certificate.Builder> edit,
      ECPrivateKey signer)
      throws Exception {
    SealedProtos.SenderCertificate outer = SealedProtos.SenderCertificate.parseFrom(serialized);
    SealedProtos.SenderCertificate.Certificate.Builder inner =
        SealedProtos.SenderCertificate.Certificate.parseFrom(outer.getCertificate()).toBuilder();
    edit.accept(inner);
    byte[] certificate = inner.build().toByteArray();
    return SealedProtos.SenderCertificate.newBuilder()
        .setCertificate(ByteString.copyFrom(certificate))
        .setSignature(
            ByteString.copyFrom(signer.calculateSignature(certificate, new SecureRandom())))
        .build()
        .toByteArray();
  }
}
