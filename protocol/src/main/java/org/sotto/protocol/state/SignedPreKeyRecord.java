package org.sotto.protocol.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.StorageProtos.SignedPreKeyRecordStructure;

/**
 * A medium-term Curve25519 prekey signed with the identity key. Immutable and thread-safe; holds a
 * private key.
 */
public final class SignedPreKeyRecord {
  /** The storage format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private final int id;
  private final long timestampMs;
  private final ECKeyPair keyPair;
  private final byte[] signature;

  /** Creates a record. */
  public SignedPreKeyRecord(int id, long timestampMs, ECKeyPair keyPair, byte[] signature) {
    this.id = id;
    this.timestampMs = timestampMs;
    this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    this.signature = Objects.requireNonNull(signature, "signature").clone();
  }

  /** Parses a serialized record. */
  public static SignedPreKeyRecord fromBytes(byte[] serialized) throws InvalidRecordException {
    try {
      SignedPreKeyRecordStructure p = SignedPreKeyRecordStructure.parseFrom(serialized);
      if (p.getFormatVersion() != FORMAT_VERSION) {
        throw new InvalidRecordException("unknown signed prekey record version");
      }
      return new SignedPreKeyRecord(
          p.getId(),
          p.getTimestampMs(),
          new ECKeyPair(
              ECPublicKey.fromBytes(p.getPublicKey().toByteArray()),
              ECPrivateKey.fromBytes(p.getPrivateKey().toByteArray())),
          p.getSignature().toByteArray());
    } catch (InvalidProtocolBufferException | InvalidKeyException | IllegalArgumentException e) {
      throw new InvalidRecordException("malformed signed prekey record", e);
    }
  }

  /** Serializes the record (contains the private key). */
  public byte[] serialize() {
    return SignedPreKeyRecordStructure.newBuilder()
        .setFormatVersion(FORMAT_VERSION)
        .setId(id)
        .setTimestampMs(timestampMs)
        .setPublicKey(ByteString.copyFrom(keyPair.publicKey().serialize()))
        .setPrivateKey(ByteString.copyFrom(keyPair.privateKey().serialize()))
        .setSignature(ByteString.copyFrom(signature))
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
  public ECKeyPair keyPair() {
    return keyPair;
  }

  /** The identity key's XEdDSA signature over the 33-byte public key (a copy). */
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public String toString() {
    return "SignedPreKeyRecord[id=" + id + ", " + keyPair.publicKey() + "]";
  }
}
