package org.sotto.protocol.sealed;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.SealedProtos;

/**
 * A server's signing key for sender certificates, signed by a trust root that clients have built
 * in: {@code protobuf{certificate = 1: protobuf{id = 1, key = 2}, signature = 2}}, the signature
 * being the trust root's XEdDSA signature over the certificate bytes exactly as they travel.
 * Byte-compatible with libsignal's {@code ServerCertificate}. Immutable and thread-safe.
 */
public final class ServerCertificate {
  /**
   * Server key ids that are never accepted, whoever signed them. libsignal 0.90 lists exactly one,
   * {@code 0xDEADC357}, reserved to test the revocation path; no production server key has been
   * revoked. Mirroring the list keeps a certificate that libsignal refuses from being accepted
   * here.
   */
  public static final Set<Integer> REVOKED_KEY_IDS = Set.of(0xDEADC357);

  private final int keyId;
  private final ECPublicKey key;
  private final byte[] certificate;
  private final byte[] signature;
  private final byte[] serialized;

  private ServerCertificate(
      int keyId, ECPublicKey key, byte[] certificate, byte[] signature, byte[] serialized) {
    this.keyId = keyId;
    this.key = key;
    this.certificate = certificate;
    this.signature = signature;
    this.serialized = serialized;
  }

  /**
   * Issues a certificate for the server key {@code key} under {@code keyId}, signed by {@code
   * trustRoot}. In Sotto the server does this; clients only parse and validate.
   *
   * @param keyId the key id, an unsigned 32-bit value
   */
  public static ServerCertificate create(
      int keyId, ECPublicKey key, ECPrivateKey trustRoot, SecureRandom rng) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(trustRoot, "trustRoot");
    Objects.requireNonNull(rng, "rng");
    byte[] certificate =
        SealedProtos.ServerCertificate.Certificate.newBuilder()
            .setId(keyId)
            .setKey(ByteString.copyFrom(key.serialize()))
            .build()
            .toByteArray();
    byte[] signature = trustRoot.calculateSignature(certificate, rng);
    byte[] serialized =
        SealedProtos.ServerCertificate.newBuilder()
            .setCertificate(ByteString.copyFrom(certificate))
            .setSignature(ByteString.copyFrom(signature))
            .build()
            .toByteArray();
    return new ServerCertificate(keyId, key, certificate, signature, serialized);
  }

  /**
   * Parses a serialized certificate. The signature is not checked here ({@link #validate} does
   * that); unknown fields are kept, so {@link #serialize()} returns exactly these bytes.
   *
   * @throws InvalidCertificateException the bytes are not a complete server certificate
   */
  public static ServerCertificate fromBytes(byte[] serialized) throws InvalidCertificateException {
    Objects.requireNonNull(serialized, "serialized");
    SealedProtos.ServerCertificate outer;
    SealedProtos.ServerCertificate.Certificate inner;
    try {
      outer = SealedProtos.ServerCertificate.parseFrom(serialized);
      if (!outer.hasCertificate() || !outer.hasSignature()) {
        throw new InvalidCertificateException("incomplete server certificate");
      }
      inner = SealedProtos.ServerCertificate.Certificate.parseFrom(outer.getCertificate());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidCertificateException("malformed server certificate", e);
    }
    if (!inner.hasId() || !inner.hasKey()) {
      throw new InvalidCertificateException("server certificate without key id or key");
    }
    ECPublicKey key;
    try {
      key = ECPublicKey.fromBytes(inner.getKey().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidCertificateException("invalid server key", e);
    }
    return new ServerCertificate(
        inner.getId(),
        key,
        outer.getCertificate().toByteArray(),
        outer.getSignature().toByteArray(),
        serialized.clone());
  }

  /**
   * Checks that this certificate is signed by {@code trustRoot} and that its key id is not revoked.
   *
   * @throws InvalidCertificateException it is not
   */
  public void validate(ECPublicKey trustRoot) throws InvalidCertificateException {
    Objects.requireNonNull(trustRoot, "trustRoot");
    if (isRevoked()) {
      throw new InvalidCertificateException(
          "server certificate key id " + keyIdString() + " is revoked");
    }
    if (!isSignedBy(trustRoot)) {
      throw new InvalidCertificateException("server certificate is not signed by the trust root");
    }
  }

  boolean isRevoked() {
    return REVOKED_KEY_IDS.contains(keyId);
  }

  boolean isSignedBy(ECPublicKey trustRoot) {
    return VerifiedSignatures.verify(trustRoot, certificate, signature);
  }

  /** The key id, an unsigned 32-bit value (compare with {@link Integer#toUnsignedLong}). */
  public int keyId() {
    return keyId;
  }

  /** The server's public key, which signs sender certificates. */
  public ECPublicKey key() {
    return key;
  }

  /** The serialized certificate (a copy). */
  public byte[] serialize() {
    return serialized.clone();
  }

  private String keyIdString() {
    return "0x" + Integer.toHexString(keyId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerCertificate other && Arrays.equals(serialized, other.serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "ServerCertificate[id=" + keyIdString() + ", key=" + key + "]";
  }
}
