package org.sotto.protocol.sealed;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.internal.proto.SealedProtos;
import org.sotto.protocol.message.CiphertextMessage;

/**
 * What a sealed-sender envelope protects: the sender's certificate and an already encrypted message
 * with its type, plus a content hint and an optional group id. Byte-compatible with libsignal's
 * {@code UnidentifiedSenderMessageContent}: {@code protobuf{type = 1, senderCertificate = 2,
 * content = 3, contentHint = 4 (absent when default), groupId = 5 (absent when none or empty)}}.
 *
 * <p>{@link #messageType()} uses the {@link CiphertextMessage} numbering (2, 3, 7, 8); on the wire
 * a PreKeySignalMessage is type 1 instead of 3. Immutable and thread-safe.
 */
public final class UnidentifiedSenderMessageContent {
  /** Type of a sender-key (group) message, as {@link CiphertextMessage} numbers it. */
  public static final int SENDERKEY_TYPE = 7;

  /**
   * Type of unencrypted content (libsignal's {@code PlaintextContent}, e.g. a decryption error).
   */
  public static final int PLAINTEXT_CONTENT_TYPE = 8;

  private static final int WIRE_PREKEY = 1;
  private static final int WIRE_MESSAGE = 2;
  private static final int WIRE_SENDERKEY = 7;
  private static final int WIRE_PLAINTEXT = 8;

  private final int messageType;
  private final SenderCertificate senderCertificate;
  private final byte[] content;
  private final ContentHint contentHint;
  private final byte[] groupId;
  private final byte[] serialized;

  private UnidentifiedSenderMessageContent(
      int messageType,
      SenderCertificate senderCertificate,
      byte[] content,
      ContentHint contentHint,
      byte[] groupId,
      byte[] serialized) {
    this.messageType = messageType;
    this.senderCertificate = senderCertificate;
    this.content = content;
    this.contentHint = contentHint;
    this.groupId = groupId;
    this.serialized = serialized;
  }

  /**
   * Wraps an encrypted message.
   *
   * @param messageType {@link CiphertextMessage#WHISPER_TYPE}, {@link
   *     CiphertextMessage#PREKEY_TYPE}, {@link #SENDERKEY_TYPE} or {@link #PLAINTEXT_CONTENT_TYPE}
   * @param groupId the group the message belongs to, or null; an empty one counts as none (as in
   *     libsignal, it is not written)
   */
  public static UnidentifiedSenderMessageContent create(
      int messageType,
      SenderCertificate senderCertificate,
      byte[] content,
      ContentHint contentHint,
      byte[] groupId) {
    Objects.requireNonNull(senderCertificate, "senderCertificate");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(contentHint, "contentHint");
    SealedProtos.UnidentifiedSenderMessage.Message.Builder proto =
        SealedProtos.UnidentifiedSenderMessage.Message.newBuilder()
            .setType(toWire(messageType))
            .setSenderCertificate(ByteString.copyFrom(senderCertificate.serialize()))
            .setContent(ByteString.copyFrom(content));
    if (contentHint.value() != ContentHint.DEFAULT.value()) {
      proto.setContentHint(contentHint.value());
    }
    if (groupId != null && groupId.length > 0) {
      proto.setGroupId(ByteString.copyFrom(groupId));
    }
    return new UnidentifiedSenderMessageContent(
        messageType,
        senderCertificate,
        content.clone(),
        contentHint,
        groupId == null || groupId.length == 0 ? null : groupId.clone(),
        proto.build().toByteArray());
  }

  /** Wraps {@code message} with the default content hint and no group id. */
  public static UnidentifiedSenderMessageContent create(
      CiphertextMessage message, SenderCertificate senderCertificate) {
    return create(
        message.type(), senderCertificate, message.serialize(), ContentHint.DEFAULT, null);
  }

  /**
   * Parses decrypted content. Unknown fields are kept, so {@link #serialize()} returns exactly
   * these bytes.
   *
   * @throws InvalidMessageException the content is malformed or of an unknown type
   * @throws InvalidCertificateException the sender certificate inside does not parse
   */
  public static UnidentifiedSenderMessageContent fromBytes(byte[] serialized)
      throws InvalidMessageException, InvalidCertificateException {
    Objects.requireNonNull(serialized, "serialized");
    SealedProtos.UnidentifiedSenderMessage.Message proto;
    try {
      proto = SealedProtos.UnidentifiedSenderMessage.Message.parseFrom(serialized);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed sealed sender content", e);
    }
    if (!proto.hasType() || !proto.hasSenderCertificate() || !proto.hasContent()) {
      throw new InvalidMessageException("incomplete sealed sender content");
    }
    int type = fromWire(proto.getType());
    SenderCertificate sender =
        SenderCertificate.fromBytes(proto.getSenderCertificate().toByteArray());
    return new UnidentifiedSenderMessageContent(
        type,
        sender,
        proto.getContent().toByteArray(),
        proto.hasContentHint() ? new ContentHint(proto.getContentHint()) : ContentHint.DEFAULT,
        proto.hasGroupId() ? proto.getGroupId().toByteArray() : null,
        serialized.clone());
  }

  private static int toWire(int messageType) {
    return switch (messageType) {
      case CiphertextMessage.PREKEY_TYPE -> WIRE_PREKEY;
      case CiphertextMessage.WHISPER_TYPE -> WIRE_MESSAGE;
      case SENDERKEY_TYPE -> WIRE_SENDERKEY;
      case PLAINTEXT_CONTENT_TYPE -> WIRE_PLAINTEXT;
      default -> throw new IllegalArgumentException("not a sealable message type: " + messageType);
    };
  }

  private static int fromWire(int wireType) throws InvalidMessageException {
    return switch (wireType) {
      case WIRE_PREKEY -> CiphertextMessage.PREKEY_TYPE;
      case WIRE_MESSAGE -> CiphertextMessage.WHISPER_TYPE;
      case WIRE_SENDERKEY -> SENDERKEY_TYPE;
      case WIRE_PLAINTEXT -> PLAINTEXT_CONTENT_TYPE;
      default ->
          throw new InvalidMessageException(
              "unknown sealed sender content type " + Integer.toUnsignedString(wireType));
    };
  }

  /** The inner message's type in the {@link CiphertextMessage} numbering (2, 3, 7 or 8). */
  public int messageType() {
    return messageType;
  }

  /** The sender's certificate (not yet validated when parsed with {@link #fromBytes}). */
  public SenderCertificate senderCertificate() {
    return senderCertificate;
  }

  /** The inner message, serialized (a copy). */
  public byte[] content() {
    return content.clone();
  }

  /** The content hint ({@link ContentHint#DEFAULT} when absent). */
  public ContentHint contentHint() {
    return contentHint;
  }

  /** The group id, if present (a copy). */
  public Optional<byte[]> groupId() {
    return Optional.ofNullable(groupId).map(byte[]::clone);
  }

  /** The serialized content (a copy). */
  public byte[] serialize() {
    return serialized.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnidentifiedSenderMessageContent other
        && Arrays.equals(serialized, other.serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "UnidentifiedSenderMessageContent[type="
        + messageType
        + ", "
        + contentHint
        + ", "
        + content.length
        + " B]";
  }
}
