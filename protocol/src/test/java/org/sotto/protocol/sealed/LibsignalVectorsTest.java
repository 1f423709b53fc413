package org.sotto.protocol.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.groups.GroupSessionBuilder;
import org.sotto.protocol.message.SenderKeyDistributionMessage;
import org.sotto.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * Known answers from libsignal 0.90.0 ({@code libsignal-0.90.0-vectors.json}, made with its Node
 * API; the file's comment names the calls): Sotto parses and validates libsignal's certificates,
 * builds byte-identical content, opens libsignal's sealed envelopes and decrypts the group message
 * inside with the sender key libsignal distributed. The interop tests cover the same ground live;
 * these run without Node.
 */
class LibsignalVectorsTest {
  private static final JsonNode V = load();
  private static final long EXPIRATION = V.path("expiration").asLong();
  private static final ProtocolAddress RECIPIENT =
      new ProtocolAddress("4f1c2b7e-8a55-4c3e-b0d2-6a1e9f3c7d20", 1);

  @Test
  void serverCertificate_fromLibsignal_parsesAndValidates() throws Exception {
    ServerCertificate cert = ServerCertificate.fromBytes(hex("serverCertificate"));
    assertEquals(V.path("serverKeyId").asInt(), cert.keyId());
    assertEquals(ECPublicKey.fromBytes(hex("serverPublic")), cert.key());
    cert.validate(trustRoot());
    assertArrayEquals(hex("serverCertificate"), cert.serialize());
  }

  @Test
  void senderCertificate_fromLibsignal_parsesAndValidatesUntilItsExpiration() throws Exception {
    SenderCertificate cert = SenderCertificate.fromBytes(hex("senderCertificate"));
    assertEquals(V.path("senderUuid").asText(), cert.senderUuid());
    assertEquals(V.path("senderDeviceId").asInt(), cert.senderDeviceId());
    assertEquals(EXPIRATION, cert.expiration());
    assertEquals(IdentityKey.fromBytes(hex("senderIdentity")), cert.identityKey());
    assertEquals(Optional.empty(), cert.senderE164());
    assertEquals(ServerCertificate.fromBytes(hex("serverCertificate")), cert.serverCertificate());
    cert.validate(trustRoot(), EXPIRATION);
    assertThrows(
        InvalidCertificateException.class, () -> cert.validate(trustRoot(), EXPIRATION + 1));
  }

  @Test
  void senderCertificate_fromLibsignalWithPhoneNumber_readsIt() throws Exception {
    SenderCertificate cert = SenderCertificate.fromBytes(hex("senderCertificateWithE164"));
    assertEquals(Optional.of("+15551234567"), cert.senderE164());
    assertEquals(V.path("senderUuid").asText(), cert.senderUuid());
    cert.validate(trustRoot(), EXPIRATION);
  }

  @Test
  void content_builtBySotto_equalsLibsignalsBytes() throws Exception {
    SenderCertificate cert = SenderCertificate.fromBytes(hex("senderCertificate"));
    byte[] message = hex("senderKeyMessage");
    int type = UnidentifiedSenderMessageContent.SENDERKEY_TYPE;
    assertArrayEquals(
        hex("contentDefault"),
        UnidentifiedSenderMessageContent.create(type, cert, message, ContentHint.DEFAULT, null)
            .serialize());
    assertArrayEquals(
        hex("contentResendableWithGroup"),
        UnidentifiedSenderMessageContent.create(
                type,
                cert,
                message,
                ContentHint.RESENDABLE,
                new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC})
            .serialize());
    assertArrayEquals(
        hex("contentImplicitEmptyGroup"),
        UnidentifiedSenderMessageContent.create(
                type, cert, message, ContentHint.IMPLICIT, new byte[0])
            .serialize());
  }

  @Test
  void content_fromLibsignal_readsEveryField() throws Exception {
    UnidentifiedSenderMessageContent c =
        UnidentifiedSenderMessageContent.fromBytes(hex("contentResendableWithGroup"));
    assertEquals(UnidentifiedSenderMessageContent.SENDERKEY_TYPE, c.messageType());
    assertArrayEquals(hex("senderKeyMessage"), c.content());
    assertEquals(ContentHint.RESENDABLE, c.contentHint());
    assertArrayEquals(
        new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC}, c.groupId().orElseThrow());
    assertArrayEquals(hex("senderCertificate"), c.senderCertificate().serialize());
    UnidentifiedSenderMessageContent d =
        UnidentifiedSenderMessageContent.fromBytes(hex("contentDefault"));
    assertEquals(ContentHint.DEFAULT, d.contentHint());
    assertTrue(d.groupId().isEmpty());
  }

  @Test
  void decryptToContent_libsignalsSealedMessages_opensToLibsignalsContent() throws Exception {
    SealedSessionCipher cipher = recipientCipher();
    assertArrayEquals(
        hex("contentDefault"),
        cipher.decryptToContent(hex("sealedDefault"), trustRoot(), EXPIRATION).serialize());
    assertArrayEquals(
        hex("contentResendableWithGroup"),
        cipher
            .decryptToContent(hex("sealedResendableWithGroup"), trustRoot(), EXPIRATION)
            .serialize());
  }

  @Test
  void decryptToContent_libsignalsSealedMessageAfterExpiry_throwsInvalidCertificate()
      throws Exception {
    SealedSessionCipher cipher = recipientCipher();
    assertThrows(
        InvalidCertificateException.class,
        () -> cipher.decryptToContent(hex("sealedDefault"), trustRoot(), EXPIRATION + 1));
  }

  @Test
  void decrypt_libsignalsSealedGroupMessage_decryptsWithTheDistributedSenderKey() throws Exception {
    InMemorySignalProtocolStore store = recipientStore();
    ProtocolAddress sender =
        new ProtocolAddress(V.path("senderUuid").asText(), V.path("senderDeviceId").asInt());
    new GroupSessionBuilder(store)
        .process(
            sender, SenderKeyDistributionMessage.fromBytes(hex("senderKeyDistributionMessage")));
    SealedSessionCipher cipher = new SealedSessionCipher(store, RECIPIENT);
    SealedDecryptionResult r =
        cipher.decrypt(
            hex("sealedResendableWithGroup"),
            trustRoot(),
            Instant.ofEpochMilli(EXPIRATION),
            new SecureRandom());
    assertEquals(
        V.path("groupPlaintext").asText(), new String(r.plaintext(), StandardCharsets.UTF_8));
    assertEquals(UnidentifiedSenderMessageContent.SENDERKEY_TYPE, r.messageType());
    assertEquals(sender, r.senderAddress());
    assertThrows(
        DuplicateMessageException.class,
        () ->
            cipher.decrypt(
                hex("sealedDefault"),
                trustRoot(),
                Instant.ofEpochMilli(EXPIRATION),
                new SecureRandom()));
  }

  private static SealedSessionCipher recipientCipher() throws Exception {
    return new SealedSessionCipher(recipientStore(), RECIPIENT);
  }

  private static InMemorySignalProtocolStore recipientStore() throws Exception {
    IdentityKeyPair recipient =
        new IdentityKeyPair(
            IdentityKey.fromBytes(hex("recipientIdentity")),
            ECPrivateKey.fromBytes(hex("recipientIdentityPrivate")));
    return new InMemorySignalProtocolStore(recipient, 1);
  }

  private static ECPublicKey trustRoot() throws Exception {
    return ECPublicKey.fromBytes(hex("trustRootPublic"));
  }

  private static byte[] hex(String field) {
    String value = V.path(field).asText(null);
    if (value == null) {
      throw new AssertionError("no field " + field + " in the vectors");
    }
    return HexFormat.of().parseHex(value);
  }

  private static JsonNode load() {
    try (InputStream in =
        LibsignalVectorsTest.class.getResourceAsStream("libsignal-0.90.0-vectors.json")) {
      if (in == null) {
        throw new AssertionError("libsignal-0.90.0-vectors.json missing");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
