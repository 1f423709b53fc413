package org.sotto.protocol.fingerprint;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.sotto.protocol.internal.proto.FingerprintProtos.ScannableCode;
import org.sotto.protocol.internal.proto.FingerprintProtos.SideFingerprint;

/**
 * The safety number in the form one side shows as a QR code and the other scans: a version and a
 * 32-byte digest of each side's identity, this side's first. The other side's code therefore lists
 * the same digests the other way round, and {@link #compareTo} accepts exactly that. Immutable and
 * thread-safe.
 */
public final class ScannableFingerprint {
  /**
   * Bytes of each side's digest in the code: a prefix of its iterated SHA-512, 256 bits, far more
   * than the ~100 bits of the 30 digits, since a camera reads them without effort.
   */
  public static final int DIGEST_LENGTH = 32;

  private static final int VERSION_FIELD = ScannableCode.VERSION_FIELD_NUMBER;
  private static final int LOCAL_FIELD = ScannableCode.LOCAL_FIELD_NUMBER;
  private static final int REMOTE_FIELD = ScannableCode.REMOTE_FIELD_NUMBER;
  private static final int CONTENT_FIELD = SideFingerprint.CONTENT_FIELD_NUMBER;

  private final int version;
  private final byte[] localDigest;
  private final byte[] remoteDigest;

  /** From both sides' full hashes; only their first {@value #DIGEST_LENGTH} bytes are kept. */
  ScannableFingerprint(int version, byte[] localHash, byte[] remoteHash) {
    if (version < 0) {
      throw new IllegalArgumentException("negative version");
    }
    this.version = version;
    this.localDigest = Arrays.copyOf(localHash, DIGEST_LENGTH);
    this.remoteDigest = Arrays.copyOf(remoteHash, DIGEST_LENGTH);
  }

  /** The version this code carries ({@link NumericFingerprintGenerator#VERSION} in Signal). */
  public int version() {
    return version;
  }

  /** The bytes to put in the QR code (a fresh copy each call). */
  public byte[] serialize() {
    return ScannableCode.newBuilder()
        .setVersion(version)
        .setLocal(side(localDigest))
        .setRemote(side(remoteDigest))
        .build()
        .toByteArray();
  }

  /**
   * Whether {@code scanned}, read from the other side's screen, is the code of this same pair of
   * identities: its first digest must be our second and its second our first (compared in constant
   * time). A code of other identities, including our own code scanned back, answers {@code false}.
   *
   * @throws FingerprintVersionMismatchException if the scanned code has another version (checked
   *     before the digests, as libsignal does; an absent version counts as 0)
   * @throws FingerprintParsingException if {@code scanned} is not a scannable code: not a protobuf,
   *     a known field of the wrong wire type, or a side's digest missing
   */
  public boolean compareTo(byte[] scanned)
      throws FingerprintVersionMismatchException, FingerprintParsingException {
    Objects.requireNonNull(scanned, "scanned");
    ScannableCode code;
    try {
      code = ScannableCode.parseFrom(scanned);
    } catch (InvalidProtocolBufferException e) {
      throw new FingerprintParsingException("scanned fingerprint is not a valid protobuf");
    }
    // protobuf-java keeps a known field of the wrong wire type as an unknown field; libsignal's
    // decoder rejects it, and so do we.
    if (hasAny(code.getUnknownFields(), VERSION_FIELD, LOCAL_FIELD, REMOTE_FIELD)
        || hasAny(code.getLocal().getUnknownFields(), CONTENT_FIELD)
        || hasAny(code.getRemote().getUnknownFields(), CONTENT_FIELD)) {
      throw new FingerprintParsingException("scanned fingerprint has a field of the wrong type");
    }
    long theirVersion = Integer.toUnsignedLong(code.getVersion());
    if (theirVersion != version) {
      throw new FingerprintVersionMismatchException(theirVersion, version);
    }
    if (!code.getLocal().hasContent()) {
      throw new FingerprintParsingException("scanned fingerprint lacks its local digest");
    }
    if (!code.getRemote().hasContent()) {
      throw new FingerprintParsingException("scanned fingerprint lacks its remote digest");
    }
    // Non-short-circuit &: both comparisons always run.
    return MessageDigest.isEqual(code.getLocal().getContent().toByteArray(), remoteDigest)
        & MessageDigest.isEqual(code.getRemote().getContent().toByteArray(), localDigest);
  }

  private static SideFingerprint side(byte[] digest) {
    return SideFingerprint.newBuilder().setContent(ByteString.copyFrom(digest)).build();
  }

  private static boolean hasAny(UnknownFieldSet unknown, int... fields) {
    for (int field : fields) {
      if (unknown.hasField(field)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "ScannableFingerprint[version " + version + "]";
  }
}
