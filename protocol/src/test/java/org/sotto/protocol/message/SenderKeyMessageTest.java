package org.sotto.protocol.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.internal.proto.WireProtos;

/**
 * Parsing and building {@link SenderKeyMessage} and {@link SenderKeyDistributionMessage}, against
 * bytes libsignal 0.90.0 wrote (the same vectors as {@code GroupCipherKnownAnswerTest}).
 */
class SenderKeyMessageTest {
  private static final UUID DISTRIBUTION_ID =
      UUID.fromString("d1b3a0c2-1234-4abc-8def-0123456789ab");
  private static final int CHAIN_ID = 1091359128;

  private static final byte[] LIBSIGNAL_SKDM =
      hex(
          "330a10d1b3a0c212344abc8def0123456789ab1098a3b3880418002220c0290e0d69410841d10bf4b5a2e9"
              + "044fddf49075b3d360f9fc480fe01ea2e5732a210596a109a86fad0ee5da484d2ecb00d4f55f3a7b31"
              + "37e30ac6be97faada1162b1e");

  private static final byte[] LIBSIGNAL_MESSAGE =
      hex(
          "330a10d1b3a0c212344abc8def0123456789ab1098a3b38804180122107e127a87d134ff0d7fee07e9335b"
              + "de74f9bf9623378370446519d12d8077fb3dea3f7f7a93a0e5bf79ab0fddcadfc26f94a1185703e5d5"
              + "d6584b63b6d7698264138690fa1fcca2d0afa12c7e0c47cd0c");

  private final SecureRandom rng = new SecureRandom();

  @Test
  void skdmFromBytes_libsignalBytes_fieldsAndIdenticalReencoding() throws Exception {
    SenderKeyDistributionMessage skdm = SenderKeyDistributionMessage.fromBytes(LIBSIGNAL_SKDM);
    assertEquals(DISTRIBUTION_ID, skdm.distributionId());
    assertEquals(CHAIN_ID, skdm.chainId());
    assertEquals(0, skdm.iteration());
    assertEquals(0, skdm.chainKey().index());
    assertArrayEquals(Arrays.copyOfRange(LIBSIGNAL_SKDM, 63, 96), skdm.signingKey().serialize());
    assertArrayEquals(LIBSIGNAL_SKDM, skdm.serialize());
    SenderKeyDistributionMessage rebuilt =
        SenderKeyDistributionMessage.create(
            skdm.distributionId(), skdm.chainId(), skdm.chainKey(), skdm.signingKey());
    assertArrayEquals(LIBSIGNAL_SKDM, rebuilt.serialize(), "our encoding differs from libsignal's");
    assertEquals(skdm, rebuilt);
  }

  @Test
  void messageFromBytes_libsignalBytes_fieldsAndIdenticalReencodingUpToTheSignature()
      throws Exception {
    SenderKeyMessage message = SenderKeyMessage.fromBytes(LIBSIGNAL_MESSAGE);
    assertEquals(CiphertextMessage.SENDERKEY_TYPE, message.type());
    assertEquals(SenderKeyMessage.SENDER_KEY_VERSION, message.messageVersion());
    assertEquals(DISTRIBUTION_ID, message.distributionId());
    assertEquals(CHAIN_ID, message.chainId());
    assertEquals(1, message.iteration());
    assertEquals(16, message.ciphertext().length);
    SenderKeyDistributionMessage skdm = SenderKeyDistributionMessage.fromBytes(LIBSIGNAL_SKDM);
    assertTrue(message.verifySignature(skdm.signingKey()));
    assertFalse(message.verifySignature(ECKeyPair.generate(rng).publicKey()));

    SenderKeyMessage rebuilt =
        SenderKeyMessage.create(
            message.distributionId(),
            message.chainId(),
            message.iteration(),
            message.ciphertext(),
            ECKeyPair.generate(rng).privateKey(),
            rng);
    int signed = LIBSIGNAL_MESSAGE.length - SenderKeyMessage.SIGNATURE_LENGTH;
    assertEquals(LIBSIGNAL_MESSAGE.length, rebuilt.serialize().length);
    assertArrayEquals(
        Arrays.copyOf(LIBSIGNAL_MESSAGE, signed), Arrays.copyOf(rebuilt.serialize(), signed));
  }

  @Test
  void messageCreate_signedWithKey_verifiesWithItsPublicKeyOnly() throws Exception {
    ECKeyPair signer = ECKeyPair.generate(rng);
    SenderKeyMessage m =
        SenderKeyMessage.create(DISTRIBUTION_ID, -5, 7, new byte[32], signer.privateKey(), rng);
    SenderKeyMessage parsed = SenderKeyMessage.fromBytes(m.serialize());
    assertEquals(m, parsed);
    assertEquals(-5, parsed.chainId(), "chain ids are u32 bit patterns");
    assertTrue(parsed.toString().contains(Integer.toUnsignedString(-5)), parsed.toString());
    assertTrue(parsed.verifySignature(signer.publicKey()));
    assertFalse(parsed.verifySignature(ECKeyPair.generate(rng).publicKey()));
  }

  @Test
  void messageFromBytes_malformed_throwsInvalidMessage() throws Exception {
    byte[] signature =
        Arrays.copyOfRange(
            LIBSIGNAL_MESSAGE, LIBSIGNAL_MESSAGE.length - 64, LIBSIGNAL_MESSAGE.length);
    WireProtos.SenderKeyMessage proto =
        WireProtos.SenderKeyMessage.parseFrom(
            Arrays.copyOfRange(LIBSIGNAL_MESSAGE, 1, LIBSIGNAL_MESSAGE.length - 64));
    List<byte[]> bad =
        List.of(
            new byte[0],
            Arrays.copyOf(LIBSIGNAL_MESSAGE, 64),
            withFirstByte(LIBSIGNAL_MESSAGE, 0x23),
            withFirstByte(LIBSIGNAL_MESSAGE, 0x43),
            message(proto.toBuilder().clearDistributionUuid(), signature),
            message(proto.toBuilder().clearChainId(), signature),
            message(proto.toBuilder().clearIteration(), signature),
            message(proto.toBuilder().clearCiphertext(), signature),
            message(proto.toBuilder().setIteration(-1), signature),
            message(
                proto.toBuilder().setDistributionUuid(ByteString.copyFrom(new byte[15])),
                signature),
            concat(new byte[] {0x33, (byte) 0xFF}, signature));
    for (byte[] b : bad) {
      assertThrows(
          InvalidMessageException.class,
          () -> SenderKeyMessage.fromBytes(b),
          HexFormat.of().formatHex(b));
    }
    assertThrows(InvalidMessageException.class, () -> SenderKeyMessage.fromBytes(null));
  }

  @Test
  void skdmFromBytes_malformed_throwsInvalidMessage() throws Exception {
    WireProtos.SenderKeyDistributionMessage proto =
        WireProtos.SenderKeyDistributionMessage.parseFrom(
            Arrays.copyOfRange(LIBSIGNAL_SKDM, 1, LIBSIGNAL_SKDM.length));
    byte[] wrongKeyType = proto.getSigningKey().toByteArray();
    wrongKeyType[0] = 0x08;
    List<byte[]> bad =
        List.of(
            new byte[0],
            new byte[] {0x33, (byte) 0xFF},
            withFirstByte(LIBSIGNAL_SKDM, 0x23),
            withFirstByte(LIBSIGNAL_SKDM, 0x43),
            skdm(proto.toBuilder().clearDistributionUuid()),
            skdm(proto.toBuilder().clearChainId()),
            skdm(proto.toBuilder().clearIteration()),
            skdm(proto.toBuilder().clearChainKey()),
            skdm(proto.toBuilder().clearSigningKey()),
            skdm(proto.toBuilder().setIteration(-1)),
            skdm(proto.toBuilder().setChainKey(ByteString.copyFrom(new byte[31]))),
            skdm(proto.toBuilder().setDistributionUuid(ByteString.copyFrom(new byte[17]))),
            skdm(proto.toBuilder().setSigningKey(ByteString.copyFrom(wrongKeyType))),
            skdm(proto.toBuilder().setSigningKey(ByteString.copyFrom(new byte[34]))));
    for (byte[] b : bad) {
      assertThrows(
          InvalidMessageException.class,
          () -> SenderKeyDistributionMessage.fromBytes(b),
          HexFormat.of().formatHex(b));
    }
    assertThrows(InvalidMessageException.class, () -> SenderKeyDistributionMessage.fromBytes(null));
  }

  private static byte[] message(WireProtos.SenderKeyMessage.Builder proto, byte[] signature) {
    return concat(new byte[] {0x33}, proto.build().toByteArray(), signature);
  }

  private static byte[] skdm(WireProtos.SenderKeyDistributionMessage.Builder proto) {
    return concat(new byte[] {0x33}, proto.build().toByteArray());
  }

  private static byte[] withFirstByte(byte[] b, int first) {
    byte[] out = b.clone();
    out[0] = (byte) first;
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
