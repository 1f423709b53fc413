package org.sotto.protocol.sealed;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.SealedProtos;

/**
 * The outer form of a sealed sender v1 message: {@code version ‖ protobuf{ephemeralPublic = 1,
 * encryptedStatic = 2, encryptedMessage = 3}}. We write version byte {@code 0x11}; like libsignal
 * we read any first byte whose high nibble (the oldest version able to read the message) is 0 or 1.
 * Immutable and thread-safe.
 */
record SealedV1Envelope(ECPublicKey ephemeral, byte[] encryptedStatic, byte[] encryptedMessage) {
  /** Version byte we write: required version 1, current version 1. */
  static final int VERSION_BYTE = 0x11;

  /** Highest required version (high nibble of the version byte) that v1 parsing accepts. */
  private static final int MAX_V1_REQUIRED_VERSION = 1;

  /** Required version of sealed sender v2 (multi-recipient), which Sotto does not read yet. */
  private static final int V2_REQUIRED_VERSION = 2;

  static SealedV1Envelope parse(byte[] sealed) throws InvalidMessageException {
    if (sealed == null || sealed.length == 0) {
      throw new InvalidMessageException("empty sealed sender message");
    }
    int required = (sealed[0] & 0xFF) >>> 4;
    if (required == V2_REQUIRED_VERSION) {
      throw new InvalidMessageException("sealed sender v2 is not supported");
    }
    if (required > MAX_V1_REQUIRED_VERSION) {
      throw new InvalidMessageException("unknown sealed sender version " + required);
    }
    SealedProtos.UnidentifiedSenderMessage proto;
    try {
      proto =
          SealedProtos.UnidentifiedSenderMessage.parseFrom(
              ByteString.copyFrom(sealed, 1, sealed.length - 1));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed sealed sender message", e);
    }
    if (!proto.hasEphemeralPublic()
        || !proto.hasEncryptedStatic()
        || !proto.hasEncryptedMessage()) {
      throw new InvalidMessageException("incomplete sealed sender message");
    }
    ECPublicKey ephemeral;
    try {
      ephemeral = ECPublicKey.fromBytes(proto.getEphemeralPublic().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("invalid ephemeral key", e);
    }
    return new SealedV1Envelope(
        ephemeral,
        proto.getEncryptedStatic().toByteArray(),
        proto.getEncryptedMessage().toByteArray());
  }

  byte[] serialize() {
    byte[] body =
        SealedProtos.UnidentifiedSenderMessage.newBuilder()
            .setEphemeralPublic(ByteString.copyFrom(ephemeral.serialize()))
            .setEncryptedStatic(ByteString.copyFrom(encryptedStatic))
            .setEncryptedMessage(ByteString.copyFrom(encryptedMessage))
            .build()
            .toByteArray();
    byte[] out = new byte[1 + body.length];
    out[0] = (byte) VERSION_BYTE;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }
}
