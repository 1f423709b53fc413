package org.sotto.protocol.message;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.WireProtos;

/**
 * A group message (type 7): {@code 0x33 ‖ protobuf ‖ signature(64)}, where the protobuf names the
 * distribution id, the sender's chain id and iteration and carries the AES-CBC ciphertext, and the
 * signature is XEdDSA by the sender's signing key over every byte before it. Immutable and
 * thread-safe.
 */
public final class SenderKeyMessage implements CiphertextMessage {
  /**
   * The only sender-key message version: libsignal writes 3 and rejects any other high nibble, both
   * for this message and for {@link SenderKeyDistributionMessage}.
   */
  public static final int SENDER_KEY_VERSION = 3;

  /** Length of the XEdDSA signature appended to the message. */
  public static final int SIGNATURE_LENGTH = 64;

  /** Length of a distribution id on the wire: a UUID's 16 bytes, big-endian. */
  static final int UUID_LENGTH = 16;

  private final UUID distributionId;
  private final int chainId;
  private final int iteration;
  private final byte[] ciphertext;
  private final byte[] serialized;

  private SenderKeyMessage(
      UUID distributionId, int chainId, int iteration, byte[] ciphertext, byte[] serialized) {
    this.distributionId = distributionId;
    this.chainId = chainId;
    this.iteration = iteration;
    this.ciphertext = ciphertext;
    this.serialized = serialized;
  }

  /**
   * Parses a serialized message; anything malformed gives {@link InvalidMessageException}. The
   * signature is not checked here (that needs the sender's key): see {@link #verifySignature}.
   */
  public static SenderKeyMessage fromBytes(byte[] serialized) throws InvalidMessageException {
    if (serialized == null || serialized.length < 1 + SIGNATURE_LENGTH) {
      throw new InvalidMessageException("sender key message too short");
    }
    checkVersion(serialized[0]);
    WireProtos.SenderKeyMessage proto;
    try {
      proto =
          WireProtos.SenderKeyMessage.parseFrom(
              ByteString.copyFrom(serialized, 1, serialized.length - 1 - SIGNATURE_LENGTH));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed sender key message", e);
    }
    if (!proto.hasDistributionUuid()
        || !proto.hasChainId()
        || !proto.hasIteration()
        || !proto.hasCiphertext()) {
      throw new InvalidMessageException("incomplete sender key message");
    }
    if (proto.getIteration() < 0) {
      throw new InvalidMessageException("iteration out of range");
    }
    return new SenderKeyMessage(
        uuid(proto.getDistributionUuid()),
        proto.getChainId(),
        proto.getIteration(),
        proto.getCiphertext().toByteArray(),
        serialized.clone());
  }

  /**
   * Builds a message and signs it with the sender's signing key.
   *
   * @param chainId the sender's chain id (a u32, as its Java int bit pattern)
   * @param iteration the index of the message key used, non-negative
   * @param rng supplies the random input of the XEdDSA signature
   */
  public static SenderKeyMessage create(
      UUID distributionId,
      int chainId,
      int iteration,
      byte[] ciphertext,
      ECPrivateKey signingKey,
      SecureRandom rng) {
    Objects.requireNonNull(distributionId, "distributionId");
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(signingKey, "signingKey");
    if (iteration < 0) {
      throw new IllegalArgumentException("negative iteration");
    }
    byte[] body =
        WireProtos.SenderKeyMessage.newBuilder()
            .setDistributionUuid(uuidBytes(distributionId))
            .setChainId(chainId)
            .setIteration(iteration)
            .setCiphertext(ByteString.copyFrom(ciphertext))
            .build()
            .toByteArray();
    byte[] signed = new byte[1 + body.length];
    signed[0] = versionByte();
    System.arraycopy(body, 0, signed, 1, body.length);
    byte[] signature = signingKey.calculateSignature(signed, rng);
    byte[] serialized = Arrays.copyOf(signed, signed.length + SIGNATURE_LENGTH);
    System.arraycopy(signature, 0, serialized, signed.length, SIGNATURE_LENGTH);
    return new SenderKeyMessage(distributionId, chainId, iteration, ciphertext.clone(), serialized);
  }

  /** Whether the signature is {@code signingKey}'s over the rest of the message. */
  public boolean verifySignature(ECPublicKey signingKey) {
    byte[] signed = Arrays.copyOf(serialized, serialized.length - SIGNATURE_LENGTH);
    byte[] signature =
        Arrays.copyOfRange(serialized, serialized.length - SIGNATURE_LENGTH, serialized.length);
    return signingKey.verifySignature(signed, signature);
  }

  /** Accepts high nibble 3 only, as libsignal does; the low nibble is not checked. */
  static void checkVersion(byte versionByte) throws InvalidMessageException {
    int version = (versionByte & 0xFF) >>> 4;
    if (version < SENDER_KEY_VERSION) {
      throw new InvalidMessageException("legacy sender key message version " + version);
    }
    if (version > SENDER_KEY_VERSION) {
      throw new InvalidMessageException("unknown sender key message version " + version);
    }
  }

  /** {@code 0x33}: the version in both nibbles. */
  static byte versionByte() {
    return (byte) ((SENDER_KEY_VERSION << 4) | SENDER_KEY_VERSION);
  }

  static UUID uuid(ByteString b) throws InvalidMessageException {
    if (b.size() != UUID_LENGTH) {
      throw new InvalidMessageException("distribution id must be " + UUID_LENGTH + " bytes");
    }
    return new UUID(
        b.substring(0, 8).asReadOnlyByteBuffer().getLong(),
        b.substring(8, UUID_LENGTH).asReadOnlyByteBuffer().getLong());
  }

  static ByteString uuidBytes(UUID uuid) {
    byte[] b = new byte[UUID_LENGTH];
    java.nio.ByteBuffer.wrap(b)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits());
    return ByteString.copyFrom(b);
  }

  /** The message version: always {@value #SENDER_KEY_VERSION}. */
  public int messageVersion() {
    return SENDER_KEY_VERSION;
  }

  /** The distribution id: which of the sender's sender keys (which group) this belongs to. */
  public UUID distributionId() {
    return distributionId;
  }

  /** The sender's chain id (a u32, as its Java int bit pattern). */
  public int chainId() {
    return chainId;
  }

  /** The index of the message key this message was encrypted with. */
  public int iteration() {
    return iteration;
  }

  /** The AES-CBC ciphertext (a copy). */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public int type() {
    return SENDERKEY_TYPE;
  }

  @Override
  public byte[] serialize() {
    return serialized.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SenderKeyMessage other && Arrays.equals(serialized, other.serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "SenderKeyMessage[distribution="
        + distributionId
        + ", chain="
        + Integer.toUnsignedString(chainId)
        + ", iteration="
        + iteration
        + ", "
        + serialized.length
        + " B]";
  }
}
