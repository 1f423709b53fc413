package org.sotto.protocol.message;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.WireProtos;
import org.sotto.protocol.ratchet.ChainKey;

/**
 * Hands a sender's key for one group to a member: {@code 0x33 ‖ protobuf} with the distribution id,
 * the chain id, the current iteration and chain key, and the public signing key. It is sent inside
 * a 1:1 session (it carries a secret chain key) and has no signature of its own. Immutable and
 * thread-safe; {@link #toString()} never shows the chain key.
 */
public final class SenderKeyDistributionMessage {
  private final UUID distributionId;
  private final int chainId;
  private final int iteration;
  private final byte[] chainKey;
  private final ECPublicKey signingKey;
  private final byte[] serialized;

  private SenderKeyDistributionMessage(
      UUID distributionId,
      int chainId,
      int iteration,
      byte[] chainKey,
      ECPublicKey signingKey,
      byte[] serialized) {
    this.distributionId = distributionId;
    this.chainId = chainId;
    this.iteration = iteration;
    this.chainKey = chainKey;
    this.signingKey = signingKey;
    this.serialized = serialized;
  }

  /** Parses a serialized message; anything malformed gives {@link InvalidMessageException}. */
  public static SenderKeyDistributionMessage fromBytes(byte[] serialized)
      throws InvalidMessageException {
    if (serialized == null || serialized.length < 1) {
      throw new InvalidMessageException("sender key distribution message too short");
    }
    SenderKeyMessage.checkVersion(serialized[0]);
    WireProtos.SenderKeyDistributionMessage proto;
    try {
      proto =
          WireProtos.SenderKeyDistributionMessage.parseFrom(
              ByteString.copyFrom(serialized, 1, serialized.length - 1));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed sender key distribution message", e);
    }
    if (!proto.hasDistributionUuid()
        || !proto.hasChainId()
        || !proto.hasIteration()
        || !proto.hasChainKey()
        || !proto.hasSigningKey()) {
      throw new InvalidMessageException("incomplete sender key distribution message");
    }
    if (proto.getIteration() < 0) {
      throw new InvalidMessageException("iteration out of range");
    }
    if (proto.getChainKey().size() != ChainKey.LENGTH) {
      throw new InvalidMessageException("chain key must be " + ChainKey.LENGTH + " bytes");
    }
    ECPublicKey signingKey;
    try {
      signingKey = ECPublicKey.fromBytes(proto.getSigningKey().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("invalid signing key", e);
    }
    return new SenderKeyDistributionMessage(
        SenderKeyMessage.uuid(proto.getDistributionUuid()),
        proto.getChainId(),
        proto.getIteration(),
        proto.getChainKey().toByteArray(),
        signingKey,
        serialized.clone());
  }

  /**
   * Builds a message.
   *
   * @param chainId the sender's chain id (a u32, as its Java int bit pattern)
   * @param chainKey the chain key at {@code chainKey.index()}, which becomes the iteration
   */
  public static SenderKeyDistributionMessage create(
      UUID distributionId, int chainId, ChainKey chainKey, ECPublicKey signingKey) {
    Objects.requireNonNull(distributionId, "distributionId");
    Objects.requireNonNull(chainKey, "chainKey");
    Objects.requireNonNull(signingKey, "signingKey");
    byte[] key = chainKey.key();
    byte[] body =
        WireProtos.SenderKeyDistributionMessage.newBuilder()
            .setDistributionUuid(SenderKeyMessage.uuidBytes(distributionId))
            .setChainId(chainId)
            .setIteration(chainKey.index())
            .setChainKey(ByteString.copyFrom(key))
            .setSigningKey(ByteString.copyFrom(signingKey.serialize()))
            .build()
            .toByteArray();
    byte[] serialized = new byte[1 + body.length];
    serialized[0] = SenderKeyMessage.versionByte();
    System.arraycopy(body, 0, serialized, 1, body.length);
    return new SenderKeyDistributionMessage(
        distributionId, chainId, chainKey.index(), key, signingKey, serialized);
  }

  /** The distribution id: which of the sender's sender keys (which group) this is. */
  public UUID distributionId() {
    return distributionId;
  }

  /** The sender's chain id (a u32, as its Java int bit pattern). */
  public int chainId() {
    return chainId;
  }

  /** The iteration the chain key is at. */
  public int iteration() {
    return iteration;
  }

  /** The chain key, at index {@link #iteration()}. A secret. */
  public ChainKey chainKey() {
    return new ChainKey(chainKey, iteration);
  }

  /** The sender's public signing key, which every message of this chain is signed with. */
  public ECPublicKey signingKey() {
    return signingKey;
  }

  /** The serialized message (a copy). Holds the chain key: send it only inside a 1:1 session. */
  public byte[] serialize() {
    return serialized.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SenderKeyDistributionMessage other
        && Arrays.equals(serialized, other.serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "SenderKeyDistributionMessage[distribution="
        + distributionId
        + ", chain="
        + Integer.toUnsignedString(chainId)
        + ", iteration="
        + iteration
        + ", signingKey="
        + signingKey
        + ", chainKey=redacted]";
  }
}
