package org.sotto.protocol.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.StorageProtos.PreKeyRecordStructure;

/** A one-time Curve25519 prekey with its id. Immutable and thread-safe; holds a private key. */
public final class PreKeyRecord {
  /** The storage format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private final int id;
  private final ECKeyPair keyPair;

  /** Creates a record. */
  public PreKeyRecord(int id, ECKeyPair keyPair) {
    this.id = id;
    this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
  }

  /** Parses a serialized record. */
  public static PreKeyRecord fromBytes(byte[] serialized) throws InvalidRecordException {
    try {
      PreKeyRecordStructure p = PreKeyRecordStructure.parseFrom(serialized);
      if (p.getFormatVersion() != FORMAT_VERSION) {
        throw new InvalidRecordException("unknown prekey record version");
      }
      return new PreKeyRecord(
          p.getId(),
          new ECKeyPair(
              ECPublicKey.fromBytes(p.getPublicKey().toByteArray()),
              ECPrivateKey.fromBytes(p.getPrivateKey().toByteArray())));
    } catch (InvalidProtocolBufferException | InvalidKeyException | IllegalArgumentException e) {
      throw new InvalidRecordException("malformed prekey record", e);
    }
  }

  /** Serializes the record (contains the private key). */
  public byte[] serialize() {
    return PreKeyRecordStructure.newBuilder()
        .setFormatVersion(FORMAT_VERSION)
        .setId(id)
        .setPublicKey(ByteString.copyFrom(keyPair.publicKey().serialize()))
        .setPrivateKey(ByteString.copyFrom(keyPair.privateKey().serialize()))
        .build()
        .toByteArray();
  }

  /** The prekey id. */
  public int id() {
    return id;
  }

  /** The key pair. */
  public ECKeyPair keyPair() {
    return keyPair;
  }

  @Override
  public String toString() {
    return "PreKeyRecord[id=" + id + ", " + keyPair.publicKey() + "]";
  }
}
