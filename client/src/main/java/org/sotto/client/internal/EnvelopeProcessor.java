package org.sotto.client.internal;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.sotto.api.AccountId;
import org.sotto.api.proto.Envelope;
import org.sotto.client.IncomingMessage;
import org.sotto.client.ReceiveError;
import org.sotto.client.storage.IdentityLedger;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.storage.StoredMessage;
import org.sotto.client.storage.UncheckedStorageException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.UntrustedIdentityException;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;

/**
 * Turns one delivered envelope into a stored message: skips envelopes already stored, decrypts the
 * rest and stores the message together with the advanced session in one commit. A failure rolls the
 * commit back, so a bad envelope never damages a session. Acking is the caller's job, after this
 * returns. Not thread-safe: the client calls it under its own lock.
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

  /** Stored earlier (a redelivery): acknowledged only. */
  record Duplicate() implements Outcome {
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

  EnvelopeProcessor(
      LocalStore store,
      SqliteProtocolStore protocol,
      ProtocolAddress local,
      Clock clock,
      SecureRandom rng) {
    this.store = store;
    this.protocol = protocol;
    this.local = local;
    this.clock = clock;
    this.rng = rng;
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

  Outcome process(Envelope e) {
    UUID guid = guid(e.getGuid());
    String source =
        e.getSourceAccount().isEmpty() ? "" : e.getSourceAccount() + "." + e.getSourceDevice();
    try {
      if (store.history().hasSeen(guid)) {
        return new Duplicate();
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
      return new Stored(
          store.<IncomingMessage, Exception>atomically(
              () -> decryptAndStore(e, guid, sender, from)));
    } catch (UntrustedIdentityException ex) {
      noteChangedIdentity(e.getSourceAccount());
      return failed(guid, source, ReceiveError.Kind.UNTRUSTED_IDENTITY);
    } catch (ProtocolException ex) {
      return failed(guid, source, ReceiveError.Kind.UNDECRYPTABLE);
    } catch (UnreadableContent ex) {
      return failed(guid, source, ReceiveError.Kind.UNREADABLE_CONTENT);
    } catch (StorageException | UncheckedStorageException ex) {
      log.log(
          System.Logger.Level.WARNING,
          "local store failed while receiving: {0}",
          ex.getClass().getSimpleName());
      return failed(guid, source, ReceiveError.Kind.LOCAL_STORE);
    } catch (Exception ex) {
      // A malformed message can make the parser fail in unplanned ways; it must not stop receiving.
      return failed(guid, source, ReceiveError.Kind.UNDECRYPTABLE);
    }
  }

  private IncomingMessage decryptAndStore(
      Envelope e, UUID guid, AccountId sender, ProtocolAddress from) throws Exception {
    SessionCipher cipher = new SessionCipher(protocol, local, from);
    byte[] content = e.getContent().toByteArray();
    Instant now = clock.instant();
    byte[] plain =
        e.getType() == Envelope.Type.PREKEY_MESSAGE
            ? cipher.decrypt(PreKeySignalMessage.fromBytes(content), now, rng)
            : cipher.decrypt(SignalMessage.fromBytes(content), now, rng);
    Content c;
    AccountId conversation = sender;
    try {
      c = Content.decode(plain);
      if (c.destination() != null && sender.toString().equals(local.name())) {
        // A copy of a message we sent from another device: file it under its recipient.
        conversation = AccountId.parse(c.destination());
      }
    } catch (IOException | IllegalArgumentException bad) {
      throw new UnreadableContent();
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
                plain));
    return new IncomingMessage(guid, conversation, sender, from.deviceId(), sentAt, c.text());
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
