package org.sotto.client.internal;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.sotto.api.AccountId;
import org.sotto.api.proto.Envelope;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageStatus;
import org.sotto.client.Receipt;
import org.sotto.client.ReceiveError;
import org.sotto.client.storage.IdentityLedger;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.storage.StoredMessage;
import org.sotto.client.storage.UncheckedStorageException;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.UntrustedIdentityException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.sealed.SealedDecryptionResult;

/**
 * Turns one delivered envelope into a stored message: skips envelopes already stored, decrypts the
 * rest and stores the message (with its attachment pointers, to be downloaded after this returns)
 * together with the advanced session in one commit. Receipts update the status of our sent messages
 * and timer changes the conversation's timer, in the same commit; neither becomes a history row
 * (their guids are remembered for de-duplication). A failure rolls the commit back, so a bad
 * envelope never damages a session. Each envelope is one unit of the local store's group commit, so
 * the envelopes of a burst share one commit: {@link #process} returns as soon as the unit ran, with
 * the future of its commit, and the caller acks only after {@link Received#awaitOutcome()}. Not
 * thread-safe: the client calls it under its own lock.
 */
final class EnvelopeProcessor {
  /** What became of an envelope. */
  sealed interface Outcome {
    /** Whether the server may delete the envelope now. */
    boolean ack();
  }

  /** Decrypted and stored. */
  record Stored(IncomingMessage message) implements Outcome {
    @Override
    public boolean ack() {
      return true;
    }
  }

  /** A receipt for our messages: their status was updated. Reported, never stored as a message. */
  record Receipted(Receipt receipt) implements Outcome {
    @Override
    public boolean ack() {
      return true;
    }
  }

  /** A disappearing-timer change of {@code conversation}: stored as its new timer. */
  record TimerChanged(AccountId conversation, long seconds) implements Outcome {
    @Override
    public boolean ack() {
      return true;
    }
  }

  /**
   * Stored earlier (a redelivery): acknowledged only (after any attachment downloads it left
   * pending are retried).
   */
  record Duplicate(UUID guid) implements Outcome {
    @Override
    public boolean ack() {
      return true;
    }
  }

  /** Unreadable; acknowledged unless the local store failed. */
  record Failed(ReceiveError error) implements Outcome {
    @Override
    public boolean ack() {
      return error.kind() != ReceiveError.Kind.LOCAL_STORE;
    }
  }

  /**
   * An envelope processed in a unit of the store, and the future of the commit that makes its
   * outcome durable.
   */
  record Received(Outcome outcome, CompletableFuture<Void> durable, UUID guid, String source) {
    /**
     * Waits for the commit; the outcome, or a local-store failure (not acknowledged, so the
     * envelope comes again) if the commit failed.
     */
    Outcome awaitOutcome() {
      try {
        durable.join();
        return outcome;
      } catch (CompletionException e) {
        log.log(
            System.Logger.Level.WARNING,
            "local store commit failed while receiving: {0}",
            e.getCause() == null ? "?" : e.getCause().getClass().getSimpleName());
        return failed(guid, source, ReceiveError.Kind.LOCAL_STORE);
      }
    }
  }

  /** Content that decrypted but does not parse: rolls the commit back. */
  private static final class UnreadableContent extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableContent() {
      super("unreadable content", null, false, false);
    }
  }

  private static final System.Logger log = System.getLogger(EnvelopeProcessor.class.getName());

  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final ProtocolAddress local;
  private final Clock clock;
  private final SecureRandom rng;
  private final Profiles profiles;
  private final SealedSender sealed;
  private final Attachments attachments;
  private final ExpireTimers timers;

  EnvelopeProcessor(
      LocalStore store,
      SqliteProtocolStore protocol,
      ProtocolAddress local,
      Clock clock,
      SecureRandom rng,
      Profiles profiles,
      SealedSender sealed,
      Attachments attachments,
      ExpireTimers timers) {
    this.attachments = attachments;
    this.timers = timers;
    this.store = store;
    this.protocol = protocol;
    this.local = local;
    this.clock = clock;
    this.rng = rng;
    this.profiles = profiles;
    this.sealed = sealed;
  }

  /** Remembers, for listIdentities, that {@code account} showed an untrusted key (best effort). */
  private void noteChangedIdentity(String account) {
    try {
      new IdentityLedger(store).changeSeen(account);
    } catch (StorageException | RuntimeException ex) {
      log.log(
          System.Logger.Level.WARNING,
          "could not note a changed identity: {0}",
          ex.getClass().getSimpleName());
    }
  }

  /**
   * Decrypts and stores {@code e} as one unit of the store, without waiting for its commit; a
   * failure rolls the unit back (the session stays as it was).
   */
  Received process(Envelope e) {
    UUID guid = guid(e.getGuid());
    boolean isSealed = e.getType() == Envelope.Type.UNIDENTIFIED_SENDER;
    // A sealed envelope's sender is known only from its decrypted certificate.
    String source =
        isSealed || e.getSourceAccount().isEmpty()
            ? ""
            : e.getSourceAccount() + "." + e.getSourceDevice();
    Outcome outcome;
    try {
      LocalStore.Staged<Outcome> staged =
          store.<Outcome, Exception>atomicallyDeferred(() -> processInUnit(e, guid, source));
      return new Received(staged.value(), staged.durable(), guid, source);
    } catch (InvalidCertificateException ex) {
      outcome = failed(guid, source, ReceiveError.Kind.INVALID_SENDER_CERTIFICATE);
    } catch (UntrustedIdentityException ex) {
      if (!isSealed) {
        noteChangedIdentity(e.getSourceAccount());
      }
      outcome = failed(guid, source, ReceiveError.Kind.UNTRUSTED_IDENTITY);
    } catch (ProtocolException ex) {
      outcome = failed(guid, source, ReceiveError.Kind.UNDECRYPTABLE);
    } catch (UnreadableContent ex) {
      outcome = failed(guid, source, ReceiveError.Kind.UNREADABLE_CONTENT);
    } catch (StorageException | UncheckedStorageException ex) {
      log.log(
          System.Logger.Level.WARNING,
          "local store failed while receiving: {0}",
          ex.getClass().getSimpleName());
      outcome = failed(guid, source, ReceiveError.Kind.LOCAL_STORE);
    } catch (Exception ex) {
      // A malformed message can make the parser fail in unplanned ways (bad MACs, malformed
      // envelopes, unknown prekeys, duplicates); none may stop receiving.
      outcome = failed(guid, source, ReceiveError.Kind.UNDECRYPTABLE);
    }
    // Failed: acked after the commit of the units before it, whose state it may have seen.
    return new Received(outcome, store.pendingCommit(), guid, source);
  }

  /** The body of {@link #process}'s unit. */
  private Outcome processInUnit(Envelope e, UUID guid, String source) throws Exception {
    if (store.history().hasSeen(guid)) {
      return new Duplicate(guid);
    }
    if (e.getType() == Envelope.Type.UNIDENTIFIED_SENDER) {
      return processSealed(e, guid);
    }
    if (e.getType() != Envelope.Type.CIPHERTEXT && e.getType() != Envelope.Type.PREKEY_MESSAGE) {
      return failed(guid, source, ReceiveError.Kind.UNSUPPORTED_TYPE);
    }
    AccountId sender;
    ProtocolAddress from;
    try {
      sender = AccountId.parse(e.getSourceAccount());
      from = new ProtocolAddress(sender.toString(), e.getSourceDevice());
    } catch (IllegalArgumentException bad) {
      return failed(guid, source, ReceiveError.Kind.UNDECRYPTABLE);
    }
    return decryptAndStore(e, guid, sender, from);
  }

  private Outcome decryptAndStore(Envelope e, UUID guid, AccountId sender, ProtocolAddress from)
      throws Exception {
    SessionCipher cipher = new SessionCipher(protocol, local, from);
    byte[] content = e.getContent().toByteArray();
    Instant now = clock.instant();
    byte[] plain =
        e.getType() == Envelope.Type.PREKEY_MESSAGE
            ? cipher.decrypt(PreKeySignalMessage.fromBytes(content), now, rng)
            : cipher.decrypt(SignalMessage.fromBytes(content), now, rng);
    return storePlaintext(guid, sender, from, plain, now);
  }

  /** Parses decrypted content and stores the message (inside the caller's commit). */
  private Outcome storePlaintext(
      UUID guid, AccountId sender, ProtocolAddress from, byte[] plain, Instant now)
      throws Exception {
    Content c;
    AccountId conversation = sender;
    boolean fromUs = sender.toString().equals(local.name());
    try {
      c = Content.decode(plain);
      if (c.destination() != null && fromUs) {
        // A copy of a message we sent from another device: file it under its recipient.
        conversation = AccountId.parse(c.destination());
      }
    } catch (IOException | IllegalArgumentException bad) {
      throw new UnreadableContent();
    }
    profiles.remember(sender, from.deviceId(), c);
    if (c.receipt() != null) {
      store.history().state().markSeen(guid, now);
      Receipt r = receipt(c.receipt(), sender, from.deviceId());
      if (!fromUs) {
        applyReceipt(r);
      }
      return new Receipted(r);
    }
    if (c.expireTimer() != null) {
      store.history().state().markSeen(guid, now);
      timers.set(conversation.toString(), c.expireTimer());
      return new TimerChanged(conversation, c.expireTimer());
    }
    Instant sentAt = Instant.ofEpochMilli(c.timestamp());
    store
        .history()
        .add(
            new StoredMessage(
                guid,
                conversation.toString(),
                sender.toString(),
                from.deviceId(),
                sentAt,
                now,
                // The history needs the message, not the sender's profile key (kept on its
                // contact).
                c.profileKey() == null ? plain : c.withoutProfileKey().encode()),
            timers.expiresAt(conversation.toString(), now));
    List<Attachments.Record> records = new ArrayList<>();
    for (Content.Attachment a : c.attachmentList()) {
      records.add(new Attachments.Record(a, null, null, true));
    }
    attachments.putRecords(guid, records);
    return new Stored(
        new IncomingMessage(
            guid,
            conversation,
            sender,
            from.deviceId(),
            sentAt,
            c.textOrEmpty(),
            records.stream().map(Attachments.Record::view).toList()));
  }

  private static Receipt receipt(Content.Receipt r, AccountId from, int device) {
    Receipt.Type type =
        Content.Receipt.READ.equals(r.type()) ? Receipt.Type.READ : Receipt.Type.DELIVERY;
    return new Receipt(from, device, type, r.timestamps());
  }

  /** Moves the status of our messages that {@code r} names forward (never back). */
  private void applyReceipt(Receipt r) throws StorageException {
    MessageStatus to = r.type() == Receipt.Type.READ ? MessageStatus.READ : MessageStatus.DELIVERED;
    String peer = r.from().toString();
    for (long ts : r.sentTimestamps()) {
      for (UUID g : store.history().findByTimestamp(peer, local.name(), ts)) {
        int now = store.history().state().status(g, peer).orElse(MessageStatus.SENT.ordinal());
        if (to.ordinal() > now) {
          store.history().state().putStatus(g, peer, to.ordinal());
        }
      }
    }
  }

  // ---- sealed sender ----

  /**
   * Opens a sealed-sender envelope with the pinned trust root, learns the sender from its
   * certificate, and decrypts and stores it as other messages are (inside the caller's unit).
   * Without a pinned root (the server could not be asked) the envelope is not acknowledged and
   * comes again.
   */
  private Outcome processSealed(Envelope e, UUID guid) throws Exception {
    Optional<ECPublicKey> root = sealed.pinnedTrustRoot();
    if (root.isEmpty()) {
      return failed(guid, "", ReceiveError.Kind.LOCAL_STORE);
    }
    byte[] content = e.getContent().toByteArray();
    Instant now = clock.instant();
    SealedDecryptionResult r = sealed.cipher().decrypt(content, root.get(), now, rng);
    AccountId sender = AccountId.parse(r.senderUuid());
    ProtocolAddress from = new ProtocolAddress(sender.toString(), r.senderDeviceId());
    return storePlaintext(guid, sender, from, r.plaintext(), now);
  }

  private static Failed failed(UUID guid, String source, ReceiveError.Kind kind) {
    return new Failed(new ReceiveError(guid, source, kind));
  }

  /** The envelope guid as a UUID; the server sends 16 bytes, anything else is hashed to 16. */
  static UUID guid(ByteString b) {
    if (b.size() == 16) {
      ByteBuffer buf = b.asReadOnlyByteBuffer();
      return new UUID(buf.getLong(), buf.getLong());
    }
    return UUID.nameUUIDFromBytes(b.toByteArray());
  }
}
