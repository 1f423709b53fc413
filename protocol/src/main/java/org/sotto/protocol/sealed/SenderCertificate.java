package org.sotto.protocol.sealed;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.proto.SealedProtos;

/**
 * The server's statement that a sender UUID and device own an identity key until an expiry time,
 * signed by a server key whose {@link ServerCertificate} is signed by a trust root. Sealed-sender
 * recipients learn the sender from it. Byte-compatible with libsignal's {@code SenderCertificate}:
 * {@code protobuf{certificate = 1, signature = 2}} around {@code protobuf{senderE164 = 1 (string),
 * senderDevice = 2 (uint32), expires = 3 (fixed64, epoch ms), identityKey = 4, signer = 5 (a whole
 * ServerCertificate) | signerId = 8, senderUuid = 6 (string) | senderUuidBytes = 7 (16 B)}}.
 * Immutable and thread-safe.
 */
public final class SenderCertificate {
  /** Length of a UUID in its binary form (field 7). */
  private static final int UUID_BYTES = 16;

  private final String senderUuid;
  private final String senderE164;
  private final int senderDeviceId;
  private final IdentityKey identityKey;
  private final long expiration;
  private final ServerCertificate signer;
  private final byte[] certificate;
  private final byte[] signature;
  private final byte[] serialized;

  private SenderCertificate(
      String senderUuid,
      String senderE164,
      int senderDeviceId,
      IdentityKey identityKey,
      long expiration,
      ServerCertificate signer,
      byte[] certificate,
      byte[] signature,
      byte[] serialized) {
    this.senderUuid = senderUuid;
    this.senderE164 = senderE164;
    this.senderDeviceId = senderDeviceId;
    this.identityKey = identityKey;
    this.expiration = expiration;
    this.signer = signer;
    this.certificate = certificate;
    this.signature = signature;
    this.serialized = serialized;
  }

  /**
   * Issues a certificate, as libsignal does: the sender UUID as a string, the server certificate
   * embedded, no phone number. In Sotto the server does this; clients only parse and validate.
   *
   * @param senderUuid the sender's account UUID string (its address name)
   * @param senderDeviceId 1..{@link ProtocolAddress#MAX_DEVICE_ID}
   * @param expirationMs expiry in epoch milliseconds, not negative
   * @param signerKey the private key of {@code signer}
   * @throws InvalidKeyException {@code signerKey} is not the private key of {@code signer}'s key
   */
  public static SenderCertificate create(
      String senderUuid,
      int senderDeviceId,
      IdentityKey identityKey,
      long expirationMs,
      ServerCertificate signer,
      ECPrivateKey signerKey,
      SecureRandom rng)
      throws InvalidKeyException {
    Objects.requireNonNull(senderUuid, "senderUuid");
    Objects.requireNonNull(identityKey, "identityKey");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(signerKey, "signerKey");
    Objects.requireNonNull(rng, "rng");
    if (senderUuid.isEmpty()) {
      throw new IllegalArgumentException("empty sender UUID");
    }
    if (senderDeviceId < 1 || senderDeviceId > ProtocolAddress.MAX_DEVICE_ID) {
      throw new IllegalArgumentException("device id out of range: " + senderDeviceId);
    }
    if (expirationMs < 0) {
      throw new IllegalArgumentException("negative expiration: " + expirationMs);
    }
    if (!signerKey.publicKey().equals(signer.key())) {
      throw new InvalidKeyException("signer key is not the server certificate's key");
    }
    byte[] certificate =
        SealedProtos.SenderCertificate.Certificate.newBuilder()
            .setUuidString(ByteString.copyFromUtf8(senderUuid))
            .setSenderDevice(senderDeviceId)
            .setExpires(expirationMs)
            .setIdentityKey(ByteString.copyFrom(identityKey.serialize()))
            .setSignerCertificate(ByteString.copyFrom(signer.serialize()))
            .build()
            .toByteArray();
    byte[] signature = signerKey.calculateSignature(certificate, rng);
    byte[] serialized =
        SealedProtos.SenderCertificate.newBuilder()
            .setCertificate(ByteString.copyFrom(certificate))
            .setSignature(ByteString.copyFrom(signature))
            .build()
            .toByteArray();
    return new SenderCertificate(
        senderUuid,
        null,
        senderDeviceId,
        identityKey,
        expirationMs,
        signer,
        certificate,
        signature,
        serialized);
  }

  /**
   * Parses a serialized certificate; no signature or expiry is checked here ({@link #validate} does
   * that). Unknown fields are kept, so {@link #serialize()} returns exactly these bytes.
   *
   * @throws InvalidCertificateException the bytes are not a complete sender certificate, or it
   *     names its server certificate only by a reference id (a Signal-server optimisation; Sotto
   *     has no built-in server certificates, so certificates must carry theirs in full)
   */
  public static SenderCertificate fromBytes(byte[] serialized) throws InvalidCertificateException {
    Objects.requireNonNull(serialized, "serialized");
    SealedProtos.SenderCertificate outer;
    SealedProtos.SenderCertificate.Certificate inner;
    try {
      outer = SealedProtos.SenderCertificate.parseFrom(serialized);
      if (!outer.hasCertificate() || !outer.hasSignature()) {
        throw new InvalidCertificateException("incomplete sender certificate");
      }
      inner = SealedProtos.SenderCertificate.Certificate.parseFrom(outer.getCertificate());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidCertificateException("malformed sender certificate", e);
    }
    if (!inner.hasSenderDevice() || !inner.hasExpires() || !inner.hasIdentityKey()) {
      throw new InvalidCertificateException("incomplete sender certificate");
    }
    int device = inner.getSenderDevice();
    if (device < 1 || device > ProtocolAddress.MAX_DEVICE_ID) {
      throw new InvalidCertificateException("sender device id out of range");
    }
    IdentityKey identityKey;
    try {
      identityKey = IdentityKey.fromBytes(inner.getIdentityKey().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidCertificateException("invalid sender identity key", e);
    }
    String e164 = inner.hasSenderE164() ? utf8(inner.getSenderE164(), "sender E.164") : null;
    return new SenderCertificate(
        senderUuid(inner),
        e164,
        device,
        identityKey,
        inner.getExpires(),
        signer(inner),
        outer.getCertificate().toByteArray(),
        outer.getSignature().toByteArray(),
        serialized.clone());
  }

  private static String senderUuid(SealedProtos.SenderCertificate.Certificate inner)
      throws InvalidCertificateException {
    switch (inner.getSenderUuidCase()) {
      case UUID_STRING:
        String uuid = utf8(inner.getUuidString(), "sender UUID");
        if (uuid.isEmpty()) {
          throw new InvalidCertificateException("empty sender UUID");
        }
        return uuid;
      case UUID_BYTES:
        ByteString raw = inner.getUuidBytes();
        if (raw.size() != UUID_BYTES) {
          throw new InvalidCertificateException("sender UUID must be " + UUID_BYTES + " bytes");
        }
        ByteBuffer b = raw.asReadOnlyByteBuffer();
        return new UUID(b.getLong(), b.getLong()).toString();
      default:
        throw new InvalidCertificateException("sender certificate without sender UUID");
    }
  }

  private static ServerCertificate signer(SealedProtos.SenderCertificate.Certificate inner)
      throws InvalidCertificateException {
    switch (inner.getSignerCase()) {
      case SIGNER_CERTIFICATE:
        return ServerCertificate.fromBytes(inner.getSignerCertificate().toByteArray());
      case SIGNER_ID:
        throw new InvalidCertificateException(
            "unknown server certificate id 0x" + Integer.toHexString(inner.getSignerId()));
      default:
        throw new InvalidCertificateException("sender certificate without signer");
    }
  }

  private static String utf8(ByteString bytes, String what) throws InvalidCertificateException {
    if (!bytes.isValidUtf8()) {
      throw new InvalidCertificateException(what + " is not UTF-8");
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * Checks the whole chain at {@code nowMs}: the server certificate is signed by {@code trustRoot}
   * and not revoked, this certificate is signed by the server key, and it has not expired (valid up
   * to and including its expiration millisecond, as in libsignal).
   *
   * @param nowMs the current time in epoch milliseconds, not negative
   * @throws InvalidCertificateException any check fails
   */
  public void validate(ECPublicKey trustRoot, long nowMs) throws InvalidCertificateException {
    validate(List.of(trustRoot), nowMs);
  }

  /**
   * As {@link #validate(ECPublicKey, long)}, accepting a server certificate signed by any one of
   * {@code trustRoots} (for trust-root rotation). Every root is tried, so timing does not tell
   * which one signed.
   *
   * @throws InvalidCertificateException any check fails
   */
  public void validate(Collection<ECPublicKey> trustRoots, long nowMs)
      throws InvalidCertificateException {
    Objects.requireNonNull(trustRoots, "trustRoots");
    if (nowMs < 0) {
      throw new IllegalArgumentException("negative time: " + nowMs);
    }
    if (signer.isRevoked()) {
      throw new InvalidCertificateException(
          "server certificate key id 0x" + Integer.toHexString(signer.keyId()) + " is revoked");
    }
    boolean anySigned = false;
    for (ECPublicKey root : trustRoots) {
      anySigned |= signer.isSignedBy(Objects.requireNonNull(root, "trust root"));
    }
    if (!anySigned) {
      throw new InvalidCertificateException("server certificate is not signed by a trust root");
    }
    if (!VerifiedSignatures.verify(signer.key(), certificate, signature)) {
      throw new InvalidCertificateException(
          "sender certificate is not signed by its server certificate");
    }
    if (Long.compareUnsigned(nowMs, expiration) > 0) {
      throw new InvalidCertificateException(
          "sender certificate expired at " + Long.toUnsignedString(expiration) + " ms");
    }
  }

  /** The sender's account UUID string, as the certificate gives it. */
  public String senderUuid() {
    return senderUuid;
  }

  /** The sender's phone number, if the certificate names one (Sotto never issues one). */
  public Optional<String> senderE164() {
    return Optional.ofNullable(senderE164);
  }

  /** The sender's device id, 1..{@link ProtocolAddress#MAX_DEVICE_ID}. */
  public int senderDeviceId() {
    return senderDeviceId;
  }

  /** The sender's address: UUID and device id. */
  public ProtocolAddress senderAddress() {
    return new ProtocolAddress(senderUuid, senderDeviceId);
  }

  /** The sender's identity key. */
  public IdentityKey identityKey() {
    return identityKey;
  }

  /**
   * The expiry in epoch milliseconds, an unsigned 64-bit value (libsignal's type): a parsed
   * certificate may carry one beyond {@link Long#MAX_VALUE}, which reads as negative here.
   */
  public long expiration() {
    return expiration;
  }

  /** The server certificate of the key that signed this one (embedded or known by id). */
  public ServerCertificate serverCertificate() {
    return signer;
  }

  /** The serialized certificate (a copy). */
  public byte[] serialize() {
    return serialized.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SenderCertificate other && Arrays.equals(serialized, other.serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    // The sender UUID stays out: hiding it is what sealed sender is for.
    return "SenderCertificate[device="
        + senderDeviceId
        + ", "
        + identityKey
        + ", expires="
        + Long.toUnsignedString(expiration)
        + ", signer="
        + signer
        + "]";
  }
}
