package org.sotto.protocol.groups;

import com.google.protobuf.ByteString;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.GroupProtos.SenderKeyStateStructure;
import org.sotto.protocol.internal.proto.GroupProtos.SenderMessageKeyStructure;
import org.sotto.protocol.ratchet.ChainKey;

/**
 * One sender chain of one sender: chain id, chain key and iteration, signing key (with its private
 * half only in our own sending state) and the keys of skipped iterations. Mutable while a message
 * is encrypted or decrypted, then written back into its {@link SenderKeyRecord}. Not thread-safe:
 * each operation works on its own copy. Fields were validated when the record was parsed ({@link
 * SenderKeyRecord#fromBytes}), so getters do not fail.
 */
final class SenderKeyState {
  private final SenderKeyStateStructure.Builder s;

  SenderKeyState(SenderKeyStateStructure structure) {
    this.s = structure.toBuilder();
  }

  /** A state at {@code chainKey}; {@code signingPrivateKey} is null for another member's chain. */
  static SenderKeyState create(
      int chainId, ChainKey chainKey, ECPublicKey signingKey, ECPrivateKey signingPrivateKey) {
    SenderKeyStateStructure.Builder b =
        SenderKeyStateStructure.newBuilder()
            .setChainId(chainId)
            .setIteration(chainKey.index())
            .setChainKey(ByteString.copyFrom(chainKey.key()))
            .setSigningPublic(ByteString.copyFrom(signingKey.serialize()));
    if (signingPrivateKey != null) {
      b.setSigningPrivate(ByteString.copyFrom(signingPrivateKey.serialize()))
          .setSigningXeddsaPublic(ByteString.copyFrom(signingPrivateKey.xeddsaPublicKey()));
    }
    return new SenderKeyState(b.build());
  }

  SenderKeyStateStructure structure() {
    return s.build();
  }

  int chainId() {
    return s.getChainId();
  }

  /** The chain key of the next iteration this chain yields. */
  ChainKey chainKey() {
    return new ChainKey(s.getChainKey().toByteArray(), s.getIteration());
  }

  void setChainKey(ChainKey chainKey) {
    s.setIteration(chainKey.index()).setChainKey(ByteString.copyFrom(chainKey.key()));
  }

  ECPublicKey signingKey() {
    try {
      return ECPublicKey.fromBytes(s.getSigningPublic().toByteArray());
    } catch (InvalidKeyException e) {
      throw new AssertionError("validated when parsed", e);
    }
  }

  /** Whether this is our own sending state. */
  boolean hasSigningPrivateKey() {
    return !s.getSigningPrivate().isEmpty();
  }

  /** Our private signing key; only for a state with {@link #hasSigningPrivateKey()}. */
  ECPrivateKey signingPrivateKey() {
    try {
      byte[] raw = s.getSigningPrivate().toByteArray();
      return s.getSigningXeddsaPublic().isEmpty()
          ? ECPrivateKey.fromBytes(raw)
          : ECPrivateKey.fromBytes(raw, s.getSigningXeddsaPublic().toByteArray());
    } catch (InvalidKeyException e) {
      throw new AssertionError("validated when parsed (and checked by the caller)", e);
    }
  }

  /** Removes and returns the stored seed of skipped {@code iteration}, or null. */
  byte[] removeMessageKeySeed(int iteration) {
    for (int k = 0; k < s.getSkippedCount(); k++) {
      if (s.getSkipped(k).getIteration() == iteration) {
        byte[] seed = s.getSkipped(k).getSeed().toByteArray();
        s.removeSkipped(k);
        return seed;
      }
    }
    return null;
  }

  /**
   * Stores the seed of skipped {@code iteration}, dropping the oldest beyond {@link
   * SenderKeyRecord#MAX_MESSAGE_KEYS}.
   */
  void addMessageKeySeed(int iteration, byte[] seed) {
    s.addSkipped(
        SenderMessageKeyStructure.newBuilder()
            .setIteration(iteration)
            .setSeed(ByteString.copyFrom(seed)));
    while (s.getSkippedCount() > SenderKeyRecord.MAX_MESSAGE_KEYS) {
      s.removeSkipped(0);
    }
  }

  int skippedCount() {
    return s.getSkippedCount();
  }

  @Override
  public String toString() {
    return "SenderKeyState[chain="
        + Integer.toUnsignedString(chainId())
        + ", iteration="
        + s.getIteration()
        + ", keys=redacted]";
  }
}
