package org.sotto.protocol.message;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.OptionalInt;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.WireProtos;
import org.sotto.protocol.kem.Kyber1024;

/**
 * The first message(s) of a PQXDH session (type 3): {@code version ‖ protobuf}, carrying the
 * initiator's identity and base key, the ids of the responder's prekeys it used, the Kyber
 * ciphertext, and a whole {@link SignalMessage}. It has no MAC of its own. Immutable and
 * thread-safe.
 */
public final class PreKeySignalMessage implements CiphertextMessage {
  private final int messageVersion;
  private final int registrationId;
  private final OptionalInt preKeyId;
  private final int signedPreKeyId;
  private final int kyberPreKeyId;
  private final byte[] kyberCiphertext;
  private final ECPublicKey baseKey;
  private final IdentityKey identityKey;
  private final SignalMessage message;
  private final byte[] serialized;

  private PreKeySignalMessage(
      int messageVersion,
      int registrationId,
      OptionalInt preKeyId,
      int signedPreKeyId,
      int kyberPreKeyId,
      byte[] kyberCiphertext,
      ECPublicKey baseKey,
      IdentityKey identityKey,
      SignalMessage message,
      byte[] serialized) {
    this.messageVersion = messageVersion;
    this.registrationId = registrationId;
    this.preKeyId = preKeyId;
    this.signedPreKeyId = signedPreKeyId;
    this.kyberPreKeyId = kyberPreKeyId;
    this.kyberCiphertext = kyberCiphertext;
    this.baseKey = baseKey;
    this.identityKey = identityKey;
    this.message = message;
    this.serialized = serialized;
  }

  /** Parses a serialized message; anything malformed gives {@link InvalidMessageException}. */
  public static PreKeySignalMessage fromBytes(byte[] serialized) throws InvalidMessageException {
    if (serialized == null || serialized.length < 1) {
      throw new InvalidMessageException("message too short");
    }
    int version = SignalMessage.checkVersion(serialized[0]);
    if (version < CURRENT_VERSION) {
      throw new InvalidMessageException("prekey message version " + version + " has no Kyber key");
    }
    WireProtos.PreKeySignalMessage proto;
    try {
      proto =
          WireProtos.PreKeySignalMessage.parseFrom(
              ByteString.copyFrom(serialized, 1, serialized.length - 1));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed prekey message", e);
    }
    if (!proto.hasBaseKey()
        || !proto.hasIdentityKey()
        || !proto.hasMessage()
        || !proto.hasSignedPreKeyId()
        || !proto.hasKyberPreKeyId()
        || !proto.hasKyberCiphertext()) {
      throw new InvalidMessageException("incomplete prekey message");
    }
    if (proto.getKyberCiphertext().size() != Kyber1024.SERIALIZED_CIPHERTEXT_LENGTH) {
      throw new InvalidMessageException("Kyber ciphertext has the wrong length");
    }
    ECPublicKey baseKey;
    IdentityKey identityKey;
    try {
      baseKey = ECPublicKey.fromBytes(proto.getBaseKey().toByteArray());
      identityKey = IdentityKey.fromBytes(proto.getIdentityKey().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("invalid key in prekey message", e);
    }
    SignalMessage inner = SignalMessage.fromBytes(proto.getMessage().toByteArray());
    if (inner.messageVersion() != version) {
      throw new InvalidMessageException("inner message version differs");
    }
    return new PreKeySignalMessage(
        version,
        proto.getRegistrationId(),
        proto.hasPreKeyId() ? OptionalInt.of(proto.getPreKeyId()) : OptionalInt.empty(),
        proto.getSignedPreKeyId(),
        proto.getKyberPreKeyId(),
        proto.getKyberCiphertext().toByteArray(),
        baseKey,
        identityKey,
        inner,
        serialized.clone());
  }

  /** Builds a version-4 prekey message around {@code message}. */
  public static PreKeySignalMessage create(
      int registrationId,
      OptionalInt preKeyId,
      int signedPreKeyId,
      int kyberPreKeyId,
      byte[] kyberCiphertext,
      ECPublicKey baseKey,
      IdentityKey identityKey,
      SignalMessage message) {
    WireProtos.PreKeySignalMessage.Builder proto =
        WireProtos.PreKeySignalMessage.newBuilder()
            .setBaseKey(ByteString.copyFrom(baseKey.serialize()))
            .setIdentityKey(ByteString.copyFrom(identityKey.serialize()))
            .setMessage(ByteString.copyFrom(message.serialize()))
            .setRegistrationId(registrationId)
            .setSignedPreKeyId(signedPreKeyId)
            .setKyberPreKeyId(kyberPreKeyId)
            .setKyberCiphertext(ByteString.copyFrom(kyberCiphertext));
    preKeyId.ifPresent(proto::setPreKeyId);
    byte[] body = proto.build().toByteArray();
    byte[] serialized = new byte[1 + body.length];
    serialized[0] = SignalMessage.versionByte(CURRENT_VERSION);
    System.arraycopy(body, 0, serialized, 1, body.length);
    return new PreKeySignalMessage(
        CURRENT_VERSION,
        registrationId,
        preKeyId,
        signedPreKeyId,
        kyberPreKeyId,
        kyberCiphertext.clone(),
        baseKey,
        identityKey,
        message,
        serialized);
  }

  /** The message version. */
  public int messageVersion() {
    return messageVersion;
  }

  /** The sender's registration id (0 when absent). */
  public int registrationId() {
    return registrationId;
  }

  /** The one-time prekey id used, if any. */
  public OptionalInt preKeyId() {
    return preKeyId;
  }

  /** The signed prekey id used. */
  public int signedPreKeyId() {
    return signedPreKeyId;
  }

  /** The Kyber prekey id used. */
  public int kyberPreKeyId() {
    return kyberPreKeyId;
  }

  /** The Kyber ciphertext including its type byte (a copy). */
  public byte[] kyberCiphertext() {
    return kyberCiphertext.clone();
  }

  /** The initiator's base (ephemeral) key. */
  public ECPublicKey baseKey() {
    return baseKey;
  }

  /** The initiator's identity key. */
  public IdentityKey identityKey() {
    return identityKey;
  }

  /** The enclosed Double Ratchet message. */
  public SignalMessage message() {
    return message;
  }

  @Override
  public int type() {
    return PREKEY_TYPE;
  }

  @Override
  public byte[] serialize() {
    return serialized.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreKeySignalMessage other && Arrays.equals(serialized, other.serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "PreKeySignalMessage[v" + messageVersion + ", " + serialized.length + " B]";
  }
}
