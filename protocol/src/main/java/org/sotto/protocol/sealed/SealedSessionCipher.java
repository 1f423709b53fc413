package org.sotto.protocol.sealed;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.UntrustedIdentityException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.groups.GroupCipher;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.IdentityKeyStore.Direction;
import org.sotto.protocol.state.SignalProtocolStore;

/**
 * Sealed sender v1, byte-compatible with libsignal: hides who sent a message from everyone but its
 * recipient. The envelope ({@code 0x11 ‖ protobuf}) carries an ephemeral key, the sender's identity
 * key encrypted to the recipient's identity, and the {@link UnidentifiedSenderMessageContent}
 * (sender certificate and inner message) encrypted under keys that also depend on the sender's
 * identity (see {@link SealedV1Keys}).
 *
 * <p>Receiving checks, in libsignal's order: both MACs; that the certificate's identity key is the
 * one the envelope was sealed with; the certificate chain against the trust roots at the given
 * time; that the sender is not this very device. {@link #decrypt} then decrypts the inner message:
 * a 1:1 message with {@link SessionCipher}, requiring (beyond libsignal) the identity the session
 * really used to be the certificate's, or a group message with {@link GroupCipher}. A failure
 * changes no stored state.
 *
 * <p>Not thread-safe with respect to other operations on the same remote address (as {@link
 * SessionCipher}).
 */
public final class SealedSessionCipher {
  private final SignalProtocolStore store;
  private final ProtocolAddress localAddress;
  private final StaticAgreements agreements; // null: every agreement computed

  /** A cipher for the device {@code localAddress} whose keys are in {@code store}. */
  public SealedSessionCipher(SignalProtocolStore store, ProtocolAddress localAddress) {
    this.store = Objects.requireNonNull(store, "store");
    this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
    this.agreements = null;
  }

  /**
   * As {@link #SealedSessionCipher(SignalProtocolStore, ProtocolAddress)}, taking the static
   * layer's agreement from {@code agreements} (the device's memo) instead of computing it for every
   * message. The bytes sealed and opened are the same.
   */
  public SealedSessionCipher(
      SignalProtocolStore store, ProtocolAddress localAddress, StaticAgreements agreements) {
    this.store = Objects.requireNonNull(store, "store");
    this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
    this.agreements = Objects.requireNonNull(agreements, "agreements");
  }

  /**
   * The agreement of our identity key with {@code theirs}, from {@code agreements} (the memo) when
   * there is one.
   */
  private static byte[] staticAgreement(
      StaticAgreements agreements, IdentityKeyPair ours, ECPublicKey theirs)
      throws InvalidKeyException {
    return agreements == null
        ? ours.privateKey().calculateAgreement(theirs)
        : agreements.agree(ours.privateKey(), ours.identityKey().publicKey(), theirs);
  }

  /**
   * Encrypts {@code plaintext} with the 1:1 session with {@code destination} (as {@link
   * SessionCipher#encrypt}) and seals the result.
   *
   * @throws NoSessionException there is no usable session, or no identity key for {@code
   *     destination}
   * @throws UntrustedIdentityException {@code destination}'s identity is not trusted
   * @throws InvalidCertificateException the certificate is not for our identity key
   * @throws InvalidKeyException {@code destination}'s identity key is unusable (low order)
   */
  public byte[] encrypt(
      ProtocolAddress destination,
      SenderCertificate senderCertificate,
      byte[] plaintext,
      Instant now,
      SecureRandom rng)
      throws NoSessionException,
          UntrustedIdentityException,
          InvalidCertificateException,
          InvalidKeyException {
    Objects.requireNonNull(plaintext, "plaintext");
    IdentityKey recipient = checkedRecipient(destination, senderCertificate);
    // Everything that can fail happens before the session advances.
    Sealer sealer = new Sealer(recipient, store.getIdentityKeyPair(), rng, agreements);
    CiphertextMessage message =
        new SessionCipher(store, localAddress, destination).encrypt(plaintext, now, rng);
    return sealer.seal(
        UnidentifiedSenderMessageContent.create(message, senderCertificate).serialize());
  }

  /**
   * Seals an already encrypted message (a 1:1 message, or a group message for each member).
   *
   * @throws NoSessionException there is no identity key for {@code destination}
   * @throws UntrustedIdentityException {@code destination}'s identity is not trusted
   * @throws InvalidCertificateException the content's certificate is not for our identity key
   * @throws InvalidKeyException {@code destination}'s identity key is unusable (low order)
   */
  public byte[] encrypt(
      ProtocolAddress destination, UnidentifiedSenderMessageContent content, SecureRandom rng)
      throws NoSessionException,
          UntrustedIdentityException,
          InvalidCertificateException,
          InvalidKeyException {
    Objects.requireNonNull(content, "content");
    IdentityKey recipient = checkedRecipient(destination, content.senderCertificate());
    return new Sealer(recipient, store.getIdentityKeyPair(), rng, agreements)
        .seal(content.serialize());
  }

  /**
   * Opens a sealed message and validates its sender without decrypting the inner message: for group
   * messages, and for callers that decrypt the inner message themselves. Nothing is stored.
   *
   * @param trustRoot the root the sender's certificate must be chained to
   * @param nowMs the current time in epoch milliseconds, for the certificate's expiry
   * @throws InvalidMessageException the envelope is malformed, fails a MAC, was sealed with another
   *     identity than its certificate's, or comes from this very device
   * @throws InvalidCertificateException the certificate is malformed, not chained to the trust
   *     root, badly signed, revoked or expired
   */
  public UnidentifiedSenderMessageContent decryptToContent(
      byte[] sealed, ECPublicKey trustRoot, long nowMs)
      throws InvalidMessageException, InvalidCertificateException {
    return decryptToContent(sealed, List.of(trustRoot), nowMs);
  }

  /**
   * As {@link #decryptToContent(byte[], ECPublicKey, long)}, accepting a certificate chained to any
   * one of {@code trustRoots} (for trust-root rotation).
   */
  public UnidentifiedSenderMessageContent decryptToContent(
      byte[] sealed, Collection<ECPublicKey> trustRoots, long nowMs)
      throws InvalidMessageException, InvalidCertificateException {
    Objects.requireNonNull(trustRoots, "trustRoots");
    SealedV1Envelope envelope = SealedV1Envelope.parse(sealed);
    IdentityKeyPair ours = store.getIdentityKeyPair();
    ECPublicKey ourIdentity = ours.identityKey().publicKey();
    byte[] staticBytes;
    byte[] contentBytes;
    try {
      SealedV1Keys.LayerKeys ephemeral =
          SealedV1Keys.ephemeral(
              ours.privateKey(), envelope.ephemeral(), ourIdentity, envelope.ephemeral());
      staticBytes =
          SealedV1Keys.decrypt(ephemeral, envelope.encryptedStatic(), "sealed sender identity");
      ECPublicKey senderIdentity = ECPublicKey.fromBytes(staticBytes);
      SealedV1Keys.LayerKeys statics =
          SealedV1Keys.statics(
              staticAgreement(agreements, ours, senderIdentity),
              ephemeral.chainKey,
              envelope.encryptedStatic());
      contentBytes =
          SealedV1Keys.decrypt(statics, envelope.encryptedMessage(), "sealed sender content");
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("unusable key in sealed sender message", e);
    }
    UnidentifiedSenderMessageContent content =
        UnidentifiedSenderMessageContent.fromBytes(contentBytes);
    SenderCertificate certificate = content.senderCertificate();
    if (!Crypto.constantTimeEquals(staticBytes, certificate.identityKey().serialize())) {
      throw new InvalidMessageException(
          "sender certificate key does not match the key the message was sealed with");
    }
    certificate.validate(trustRoots, nowMs);
    if (certificate.senderAddress().equals(localAddress)) {
      throw new InvalidMessageException("sealed sender message from this very device");
    }
    return content;
  }

  /**
   * Opens a sealed message, validates its sender ({@link #decryptToContent}) and decrypts the inner
   * message: a PreKeySignalMessage or SignalMessage with the sender's session, as {@link
   * SessionCipher} does (the identity the session uses must be the certificate's), or a group
   * message with the sender key the certified sender distributed, as {@link GroupCipher} does
   * (libsignal's own {@code sealed_sender_decrypt} refuses group messages; its apps call {@code
   * group_decrypt} after opening the envelope). Nothing is stored unless everything succeeds.
   *
   * @param trustRoot the root the sender's certificate must be chained to
   * @param now the current time; its epoch milliseconds are checked against the certificate
   * @throws InvalidMessageException as {@link #decryptToContent}; the inner message is malformed,
   *     does not decrypt, or is not from the certificate's identity; or it is plaintext content
   *     (read that with {@link #decryptToContent})
   * @throws InvalidCertificateException as {@link #decryptToContent}
   * @throws DuplicateMessageException the inner message was already received
   * @throws InvalidKeyException a prekey the inner message names is unknown
   * @throws NoSessionException there is no session with the sender (for a SignalMessage), or no
   *     sender key of the sender (for a group message)
   * @throws UntrustedIdentityException the sender's identity is not trusted
   */
  public SealedDecryptionResult decrypt(
      byte[] sealed, ECPublicKey trustRoot, Instant now, SecureRandom rng)
      throws InvalidMessageException,
          InvalidCertificateException,
          DuplicateMessageException,
          InvalidKeyException,
          NoSessionException,
          UntrustedIdentityException {
    return decrypt(sealed, List.of(trustRoot), now, rng);
  }

  /**
   * As {@link #decrypt(byte[], ECPublicKey, Instant, SecureRandom)}, accepting a certificate
   * chained to any one of {@code trustRoots} (for trust-root rotation).
   */
  public SealedDecryptionResult decrypt(
      byte[] sealed, Collection<ECPublicKey> trustRoots, Instant now, SecureRandom rng)
      throws InvalidMessageException,
          InvalidCertificateException,
          DuplicateMessageException,
          InvalidKeyException,
          NoSessionException,
          UntrustedIdentityException {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(rng, "rng");
    UnidentifiedSenderMessageContent content =
        decryptToContent(sealed, trustRoots, now.toEpochMilli());
    SenderCertificate certificate = content.senderCertificate();
    ProtocolAddress sender = certificate.senderAddress();
    CertifiedSenderStore view = new CertifiedSenderStore(store, sender, certificate.identityKey());
    SessionCipher cipher = new SessionCipher(view, localAddress, sender);
    byte[] plaintext;
    try {
      plaintext =
          switch (content.messageType()) {
            case CiphertextMessage.PREKEY_TYPE ->
                cipher.decrypt(PreKeySignalMessage.fromBytes(content.content()), now, rng);
            case CiphertextMessage.WHISPER_TYPE ->
                cipher.decrypt(SignalMessage.fromBytes(content.content()), now, rng);
            case UnidentifiedSenderMessageContent.SENDERKEY_TYPE ->
                new GroupCipher(store).decrypt(sender, content.content());
            default ->
                throw new InvalidMessageException(
                    "sealed content of type "
                        + content.messageType()
                        + " is not an encrypted message; open it with decryptToContent");
          };
    } catch (UntrustedIdentityException e) {
      if (view.refusedOtherIdentity()) {
        throw new InvalidMessageException(
            "inner message is not from the sender certificate's identity", e);
      }
      throw e;
    }
    return new SealedDecryptionResult(certificate, content.messageType(), plaintext);
  }

  /** The trusted identity of {@code destination}, after checking the certificate is ours. */
  private IdentityKey checkedRecipient(
      ProtocolAddress destination, SenderCertificate senderCertificate)
      throws NoSessionException, UntrustedIdentityException, InvalidCertificateException {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(senderCertificate, "senderCertificate");
    if (!senderCertificate.identityKey().equals(store.getIdentityKeyPair().identityKey())) {
      throw new InvalidCertificateException("sender certificate is not for our identity key");
    }
    IdentityKey recipient = store.getIdentity(destination);
    if (recipient == null) {
      throw new NoSessionException("no identity key known for " + destination);
    }
    if (!store.isTrustedIdentity(destination, recipient, Direction.SENDING)) {
      throw new UntrustedIdentityException("untrusted identity for " + destination);
    }
    return recipient;
  }

  /**
   * Seals {@code contentBytes} from {@code sender} to {@code recipient}. Package-private so that
   * tests can seal content a well-behaved sender never would.
   */
  static byte[] seal(
      IdentityKey recipient, IdentityKeyPair sender, byte[] contentBytes, SecureRandom rng)
      throws InvalidKeyException {
    return new Sealer(recipient, sender, rng, null).seal(contentBytes);
  }

  /**
   * One envelope from {@code sender} to {@code recipient}, prepared up to the content: the
   * ephemeral key, the encrypted sender identity and the static layer's keys. Both agreements
   * happen here (the static one from {@code agreements} when given), so an unusable recipient key
   * fails before any content is encrypted.
   */
  private static final class Sealer {
    private final ECPublicKey ephemeralPublic;
    private final byte[] encryptedStatic;
    private final SealedV1Keys.LayerKeys staticKeys;

    Sealer(
        IdentityKey recipient,
        IdentityKeyPair sender,
        SecureRandom rng,
        StaticAgreements agreements)
        throws InvalidKeyException {
      ECKeyPair ephemeral = ECKeyPair.generate(rng);
      ECPublicKey recipientKey = recipient.publicKey();
      SealedV1Keys.LayerKeys ephemeralKeys =
          SealedV1Keys.ephemeral(
              ephemeral.privateKey(), recipientKey, recipientKey, ephemeral.publicKey());
      this.ephemeralPublic = ephemeral.publicKey();
      this.encryptedStatic = SealedV1Keys.encrypt(ephemeralKeys, sender.identityKey().serialize());
      this.staticKeys =
          SealedV1Keys.statics(
              staticAgreement(agreements, sender, recipientKey),
              ephemeralKeys.chainKey,
              encryptedStatic);
    }

    byte[] seal(byte[] contentBytes) {
      byte[] encryptedMessage = SealedV1Keys.encrypt(staticKeys, contentBytes);
      return new SealedV1Envelope(ephemeralPublic, encryptedStatic, encryptedMessage).serialize();
    }

    @Override
    public String toString() {
      return "Sealer[redacted]";
    }
  }

  @Override
  public String toString() {
    return "SealedSessionCipher[" + localAddress + "]";
  }
}
