package org.sotto.protocol.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.internal.proto.StorageProtos.KyberPreKeyRecordStructure;
import org.sotto.protocol.kem.KEMKeyPair;
import org.sotto.protocol.kem.KEMPublicKey;
import org.sotto.protocol.kem.KEMSecretKey;

/**
 * A Kyber-1024 prekey signed with the identity key: one-time, or last-resort (kept after use so a
 * session can always be set up). Immutable and thread-safe; holds a secret key.
 */
public final class KyberPreKeyRecord {
  /** The storage format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private final int id;
  private final long timestampMs;
  private final KEMKeyPair keyPair;
  private final byte[] signature;
  private final boolean lastResort;

  /** Creates a record. */
  public KyberPreKeyRecord(
      int id, long timestampMs, KEMKeyPair keyPair, byte[] signature, boolean lastResort) {
    this.id = id;
    this.timestampMs = timestampMs;
    this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    this.signature = Objects.requireNonNull(signature, "signature").clone();
    this.lastResort = lastResort;
  }

  /** Parses a serialized record. */
  public static KyberPreKeyRecord fromBytes(byte[] serialized) throws InvalidRecordException {
    try {
      KyberPreKeyRecordStructure p = KyberPreKeyRecordStructure.parseFrom(serialized);
      if (p.getFormatVersion() != FORMAT_VERSION) {
        throw new InvalidRecordException("unknown Kyber prekey record version");
      }
      return new KyberPreKeyRecord(
          p.getId(),
          p.getTimestampMs(),
          new KEMKeyPair(
              KEMPublicKey.fromBytes(p.getPublicKey().toByteArray()),
              KEMSecretKey.fromBytes(p.getSecretKey().toByteArray())),
          p.getSignature().toByteArray(),
          p.getLastResort());
    } catch (InvalidProtocolBufferException | InvalidKeyException | IllegalArgumentException e) {
      throw new InvalidRecordException("malformed Kyber prekey record", e);
    }
  }

  /** Serializes the record (contains the secret key). */
  public byte[] serialize() {
    return KyberPreKeyRecordStructure.newBuilder()
        .setFormatVersion(FORMAT_VERSION)
        .setId(id)
        .setTimestampMs(timestampMs)
        .setPublicKey(ByteString.copyFrom(keyPair.publicKey().serialize()))
        .setSecretKey(ByteString.copyFrom(keyPair.secretKey().serialize()))
        .setSignature(ByteString.copyFrom(signature))
        .setLastResort(lastResort)
        .build()
        .toByteArray();
  }

  /** The prekey id. */
  public int id() {
    return id;
  }

  /** When the key was generated, in epoch milliseconds. */
  public long timestampMs() {
    return timestampMs;
  }

  /** The key pair. */
  public KEMKeyPair keyPair() {
    return keyPair;
  }

  /** The identity key's XEdDSA signature over the 1,569-byte public key (a copy). */
  public byte[] signature() {
    return signature.clone();
  }

  /** Whether this is a last-resort key (kept after use). */
  public boolean lastResort() {
    return lastResort;
  }

  @Override
  public String toString() {
    return "KyberPreKeyRecord[id=" + id + ", lastResort=" + lastResort + "]";
  }
}
