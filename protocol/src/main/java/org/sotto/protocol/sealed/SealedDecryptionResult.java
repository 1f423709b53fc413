package org.sotto.protocol.sealed;

import java.util.Arrays;
import java.util.Objects;
import org.sotto.protocol.ProtocolAddress;

/**
 * A decrypted sealed-sender message: who sent it (from the validated certificate), the type of the
 * inner message and its plaintext. {@link #toString()} shows neither the plaintext nor the sender.
 * Immutable and thread-safe.
 *
 * @param senderCertificate the sender's certificate, validated against the trust root
 * @param messageType the inner message's type in the {@link
 *     org.sotto.protocol.message.CiphertextMessage} numbering
 * @param plaintext the decrypted message (the accessor returns a copy)
 */
public record SealedDecryptionResult(
    SenderCertificate senderCertificate, int messageType, byte[] plaintext) {

  /** Copies the plaintext in. */
  public SealedDecryptionResult {
    Objects.requireNonNull(senderCertificate, "senderCertificate");
    plaintext = Objects.requireNonNull(plaintext, "plaintext").clone();
  }

  /** The plaintext (a copy). */
  @Override
  public byte[] plaintext() {
    return plaintext.clone();
  }

  /** The sender's account UUID string. */
  public String senderUuid() {
    return senderCertificate.senderUuid();
  }

  /** The sender's device id. */
  public int senderDeviceId() {
    return senderCertificate.senderDeviceId();
  }

  /** The sender's address. */
  public ProtocolAddress senderAddress() {
    return senderCertificate.senderAddress();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedDecryptionResult other
        && senderCertificate.equals(other.senderCertificate)
        && messageType == other.messageType
        && Arrays.equals(plaintext, other.plaintext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(senderCertificate, messageType, Arrays.hashCode(plaintext));
  }

  @Override
  public String toString() {
    return "SealedDecryptionResult[type=" + messageType + ", " + plaintext.length + " B]";
  }
}
