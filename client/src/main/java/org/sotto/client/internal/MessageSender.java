package org.sotto.client.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.sotto.api.AccountId;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.proto.Envelope;
import org.sotto.client.SottoException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.storage.UncheckedStorageException;
import org.sotto.client.transport.HttpStatusException;
import org.sotto.client.transport.SendConnection;
import org.sotto.client.transport.SendResult;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.UntrustedIdentityException;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.sealed.SealedSessionCipher;
import org.sotto.protocol.sealed.SenderCertificate;

/**
 * Encrypts one plaintext for every device of one account and sends it, repairing the device list
 * when the server says it is wrong. Sends to another account are sealed (sender hidden from the
 * server) when we know its profile key; a refused token falls back to a normal send. Not
 * thread-safe: the client calls it under its own lock, which it releases only for the server's
 * round trip.
 *
 * <p>The encryption for every device (the session steps) and what the caller stores with the send
 * (its history entry) are one unit of the local store's group commit. The ciphertexts leave the
 * device only once that unit is durable, so a message key is never used in a ciphertext the store
 * could forget after a power cut; the wait for the commit happens with the client's lock released,
 * so the commit is shared with other sends and received envelopes.
 */
final class MessageSender {
  /**
   * Sends tried per account before giving up. Each server answer (409 mismatched devices, 410 stale
   * devices) is repaired in one round, and both can occur once, so the third or fourth attempt
   * normally succeeds; more means the device list keeps changing under us, and the caller should
   * see an error rather than a loop.
   */
  static final int MAX_SEND_ATTEMPTS = 4;

  /** Envelope type of a Double Ratchet message (the protocol calls it a whisper message). */
  static final int TYPE_CIPHERTEXT = 1;

  /** Envelope type of a session-starting prekey message. */
  static final int TYPE_PREKEY = 3;

  /** Envelope type of a sealed-sender message (its sender is inside the encryption). */
  static final int TYPE_UNIDENTIFIED_SENDER = Envelope.Type.UNIDENTIFIED_SENDER_VALUE;

  /** The server's answer to a sealed send with a wrong delivery token. */
  private static final int HTTP_UNAUTHORIZED = 401;

  private final ServerApi api;
  // Normal (not sealed) sends: over the send socket once the client keeps sending.
  private final SendConnection sends;
  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final Sessions sessions;
  private final ProtocolAddress local;
  private final Clock clock;
  private final SecureRandom rng;
  // Sealed sender to contacts whose profile key we know.
  private final SealedSender sealed;
  private final Profiles profiles;
  private final ReentrantLock clientLock;

  MessageSender(
      ServerApi api,
      SendConnection sends,
      LocalStore store,
      SqliteProtocolStore protocol,
      Sessions sessions,
      ProtocolAddress local,
      Clock clock,
      SecureRandom rng,
      SealedSender sealed,
      Profiles profiles,
      ReentrantLock clientLock) {
    this.api = api;
    this.sends = sends;
    this.store = store;
    this.protocol = protocol;
    this.sessions = sessions;
    this.local = local;
    this.clock = clock;
    this.rng = rng;
    this.sealed = sealed;
    this.profiles = profiles;
    this.clientLock = clientLock;
  }

  /** A server request made while the client's lock is released. */
  @FunctionalInterface
  private interface Request<T> {
    T call() throws TransportException, InterruptedException;
  }

  /**
   * Runs {@code request} with the client's lock released, so that the round trip (the server
   * answers after its durable commit) does not stop other sends from encrypting, nor received
   * envelopes from being processed: several sends can then be in flight at once and the server
   * commits them together. The messages are encrypted already (their session steps are stored); the
   * recipient accepts them in any order. The lock is taken again, as often as it was held, before
   * this returns.
   */
  private <T> T unlocked(Request<T> request) throws TransportException, InterruptedException {
    int holds = clientLock.getHoldCount();
    for (int i = 0; i < holds; i++) {
      clientLock.unlock();
    }
    try {
      return request.call();
    } finally {
      for (int i = 0; i < holds; i++) {
        clientLock.lock();
      }
    }
  }

  /** Writes made in the same commit as the encryption of a send (its history entry). */
  @FunctionalInterface
  interface SameCommit {
    void write() throws StorageException;
  }

  /** A session that exists but cannot send: the unit is rolled back and the session restarted. */
  private static final class SessionCannotSend extends Exception {
    private static final long serialVersionUID = 1L;
    final int device;

    SessionCannotSend(int device) {
      super("session cannot send", null, false, false);
      this.device = device;
    }
  }

  /**
   * Sends {@code plaintext} to every device of {@code account} except this one. Sessions are
   * started from fetched bundles where missing. Returns the number of devices it went to (0 when it
   * is our own account and we have no other device).
   *
   * @param alsoStore written in the same commit as the first encryption, or null
   * @throws UntrustedIdentityException a device's identity is not trusted; nothing was sent to this
   *     account
   */
  int send(AccountId account, byte[] plaintext, long timestamp, SameCommit alsoStore)
      throws UntrustedIdentityException, SottoException, TransportException, InterruptedException {
    int skip = account.toString().equals(local.name()) ? local.deviceId() : 0;
    // Sealed when we know the recipient's profile key; copies to our own devices
    // never.
    byte[] accessKey = skip == 0 ? storage(() -> profiles.accessKeyOf(account)).orElse(null) : null;
    SameCommit pendingStore = alsoStore;
    for (int attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt++) {
      List<Integer> devices = devices(account, skip);
      if (devices.isEmpty()) {
        sessions.startAll(api, account, skip);
        devices = devices(account, skip);
        if (devices.isEmpty()) {
          if (skip != 0) {
            return 0;
          }
          throw new SottoException("the recipient has no devices");
        }
      }
      SenderCertificate certificate = accessKey == null ? null : certificate();
      LocalStore.Staged<List<OutgoingMessage>> staged =
          encryptAll(account, devices, plaintext, certificate, pendingStore);
      pendingStore = null;
      SendMessagesRequest request = new SendMessagesRequest(staged.value(), timestamp);
      SendResult result;
      if (accessKey == null) {
        result = unlocked(() -> afterCommit(staged, () -> sends.send(account, request)));
      } else {
        try {
          byte[] key = accessKey;
          result = unlocked(() -> afterCommit(staged, () -> api.sendSealed(account, request, key)));
        } catch (HttpStatusException e) {
          if (e.status() != HTTP_UNAUTHORIZED) {
            throw e;
          }
          // The token is wrong: the recipient changed its profile key. Forget ours and send
          // normally in this same call; its next message brings the new key. This retry does not
          // count as an attempt (it happens at most once).
          storage(
              () -> {
                profiles.forget(account);
                return null;
              });
          accessKey = null;
          attempt--;
          continue;
        }
      }
      switch (result) {
        case SendResult.Sent sent -> {
          return staged.value().size();
        }
        case SendResult.MismatchedDevices m -> {
          for (int extra : m.extraDevices()) {
            protocol.deleteSession(address(account, extra));
          }
          for (int missing : m.missingDevices()) {
            sessions.startOne(api, account, missing);
          }
        }
        case SendResult.StaleDevices s -> {
          for (int stale : s.staleDevices()) {
            protocol.deleteSession(address(account, stale));
            sessions.startOne(api, account, stale);
          }
        }
      }
    }
    throw new SottoException(
        "the recipient's devices kept changing; gave up after " + MAX_SEND_ATTEMPTS + " attempts");
  }

  /** Waits until the encryption unit is durable, then makes the request. */
  private static <T> T afterCommit(LocalStore.Staged<?> staged, Request<T> request)
      throws TransportException, InterruptedException {
    try {
      staged.awaitDurable();
    } catch (StorageException e) {
      throw new UncheckedStorageException(e);
    }
    return request.call();
  }

  /**
   * Encrypts for every device in one unit of the store (with {@code alsoStore}). A session that
   * cannot send is restarted outside the unit (it fetches a bundle from the server, which must not
   * hold the store), and the unit runs again.
   */
  private LocalStore.Staged<List<OutgoingMessage>> encryptAll(
      AccountId account,
      List<Integer> devices,
      byte[] plaintext,
      SenderCertificate certificate,
      SameCommit alsoStore)
      throws UntrustedIdentityException, SottoException, TransportException, InterruptedException {
    Set<Integer> restarted = new HashSet<>();
    while (true) {
      try {
        return store.<List<OutgoingMessage>, Exception>atomicallyDeferred(
            () -> {
              List<OutgoingMessage> messages = new ArrayList<>(devices.size());
              for (int device : devices) {
                messages.add(encrypt(account, device, plaintext, certificate));
              }
              if (alsoStore != null) {
                alsoStore.write();
              }
              return messages;
            });
      } catch (SessionCannotSend e) {
        if (!restarted.add(e.device)) {
          throw new SottoException("a new session cannot send");
        }
        protocol.deleteSession(address(account, e.device));
        sessions.startOne(api, account, e.device);
      } catch (UntrustedIdentityException
          | SottoException
          | TransportException
          | InterruptedException
          | RuntimeException e) {
        throw e;
      } catch (StorageException e) {
        throw Errors.local(e);
      } catch (Exception e) {
        throw new SottoException("cannot encrypt the message", e);
      }
    }
  }

  private List<Integer> devices(AccountId account, int skip) {
    List<Integer> devices = new ArrayList<>(sessions.devicesWithSessions(account));
    devices.remove(Integer.valueOf(skip));
    return devices;
  }

  private OutgoingMessage encrypt(
      AccountId account, int device, byte[] plaintext, SenderCertificate certificate)
      throws UntrustedIdentityException, SottoException, SessionCannotSend {
    ProtocolAddress remote = address(account, device);
    if (certificate != null) {
      return encryptSealed(device, remote, plaintext, certificate);
    }
    SessionCipher cipher = new SessionCipher(protocol, local, remote);
    CiphertextMessage message;
    try {
      message = cipher.encrypt(plaintext, clock.instant(), rng);
    } catch (NoSessionException e) {
      // The session exists but cannot send (an unanswered one gone stale): start afresh.
      throw new SessionCannotSend(device);
    }
    int registrationId = protocol.loadSession(remote).currentState().remoteRegistrationId();
    int type = message.type() == CiphertextMessage.PREKEY_TYPE ? TYPE_PREKEY : TYPE_CIPHERTEXT;
    return new OutgoingMessage(type, device, registrationId, message.serialize());
  }

  // ---- sealed sender ----

  /** Encrypts as {@link #encrypt} does, then seals the message with our sender certificate. */
  private OutgoingMessage encryptSealed(
      int device, ProtocolAddress remote, byte[] plaintext, SenderCertificate certificate)
      throws UntrustedIdentityException, SottoException, SessionCannotSend {
    SealedSessionCipher cipher = sealed.cipher();
    byte[] content;
    try {
      content = cipher.encrypt(remote, certificate, plaintext, clock.instant(), rng);
    } catch (NoSessionException e) {
      throw new SessionCannotSend(device);
    } catch (InvalidCertificateException | InvalidKeyException e) {
      throw new SottoException("cannot seal the message: " + e.getMessage(), e);
    }
    int registrationId = protocol.loadSession(remote).currentState().remoteRegistrationId();
    return new OutgoingMessage(TYPE_UNIDENTIFIED_SENDER, device, registrationId, content);
  }

  private SenderCertificate certificate()
      throws SottoException, TransportException, InterruptedException {
    try {
      return sealed.certificate();
    } catch (StorageException e) {
      throw Errors.local(e);
    }
  }

  private static <T> T storage(Errors.StorageCall<T, RuntimeException> call) throws SottoException {
    return Errors.storage(call);
  }

  private static ProtocolAddress address(AccountId account, int device) {
    return new ProtocolAddress(account.toString(), device);
  }
}
