package org.sotto.client.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sotto.api.AccountId;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceBundle;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.KeyBundleResponse;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.api.proto.Envelope;
import org.sotto.client.HistoryEntry;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import org.sotto.client.UntrustedIdentityException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.storage.StoredMessage;
import org.sotto.client.storage.UncheckedStorageException;
import org.sotto.client.transport.DeliveryConnection;
import org.sotto.client.transport.HttpStatusException;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.fingerprint.NumericFingerprintGenerator;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.util.KeyHelper;

/**
 * The SDK's implementation of {@link SottoClient}: wires the local store, the transport and the
 * protocol. Thread-safe: one lock serializes everything that touches sessions (sends, received
 * envelopes, trust); network waits for other work happen outside it only in {@link
 * #receiveUntilQueueEmpty}.
 */
public final class DefaultSottoClient implements SottoClient {
  /**
   * Random bytes in a device secret: 24 bytes (192 bits) cannot be guessed, and their 32 base64url
   * characters fit the server's 24..128-character rule.
   */
  static final int SECRET_BYTES = 24;

  /** The server's answer when the account sent to no longer exists. */
  private static final int HTTP_NOT_FOUND = 404;

  /**
   * How long the list of this account's own devices is trusted before asked again. Asking on every
   * send would cost a request per message; a device linked meanwhile misses copies of our sent
   * messages for at most this long.
   */
  static final Duration OWN_DEVICES_TTL = Duration.ofMinutes(5);

  private static final System.Logger log = System.getLogger(DefaultSottoClient.class.getName());

  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final AccountRecord account;
  private final ServerApi api;
  private final Clock clock;
  private final ProtocolAddress local;
  private final PreKeys preKeys;
  private final Sessions sessions;
  private final MessageSender sender;
  private final EnvelopeProcessor processor;
  private final Recipients recipients;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private long lastTimestamp;
  private Boolean haveOtherDevices;
  private java.time.Instant ownDevicesCheckedAt;

  // Guarded by this.
  private DeliveryConnection receiving;

  private DefaultSottoClient(
      LocalStore store,
      SqliteProtocolStore protocol,
      AccountRecord account,
      ServerApi api,
      Clock clock,
      SecureRandom rng) {
    this.store = store;
    this.protocol = protocol;
    this.account = account;
    this.api = api;
    this.clock = clock;
    this.local = new ProtocolAddress(account.accountId(), account.deviceId());
    this.preKeys = new PreKeys(store, protocol, clock, rng);
    this.sessions = new Sessions(protocol, clock, rng);
    this.sender = new MessageSender(api, protocol, sessions, local, clock, rng);
    this.processor = new EnvelopeProcessor(store, protocol, local, clock, rng);
    this.recipients = new Recipients(store, protocol, api);
  }

  /** See {@link SottoClient#register}. */
  public static SottoClient register(
      URI server, String handle, Path storeDir, char[] passphraseOrNull)
      throws SottoException, InterruptedException {
    return register(
        server, handle, storeDir, passphraseOrNull, Clock.systemUTC(), new SecureRandom());
  }

  /** {@link #register(URI, String, Path, char[])} with a given clock and randomness (tests). */
  static DefaultSottoClient register(
      URI server, String handle, Path storeDir, char[] passphrase, Clock clock, SecureRandom rng)
      throws SottoException, InterruptedException {
    Objects.requireNonNull(server, "server");
    LocalStore store = Errors.storage(() -> LocalStore.create(storeDir, handle, passphrase, rng));
    boolean done = false;
    try {
      IdentityKeyPair identity = IdentityKeyPair.generate(rng);
      SqliteProtocolStore protocol =
          Errors.storage(
              () ->
                  SqliteProtocolStore.create(
                      store, identity, KeyHelper.generateRegistrationId(rng)));
      DeviceKeys keys =
          Errors.storage(() -> new PreKeys(store, protocol, clock, rng).initialKeys());
      byte[] s = new byte[SECRET_BYTES];
      rng.nextBytes(s);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(s);
      ServerApi anonymous = ServerApi.create(server);
      RegisterResponse r =
          Errors.transport(
              () ->
                  anonymous.register(
                      handle, identity.identityKey().serialize(), secret, keys, null));
      AccountRecord account =
          new AccountRecord(
              anonymous.server().toString(),
              r.accountId().toString(),
              r.deviceId(),
              secret,
              handle);
      Errors.storage(
          () -> {
            account.save(store);
            return null;
          });
      DefaultSottoClient client =
          new DefaultSottoClient(
              store, protocol, account, anonymous.as(account.credentials()), clock, rng);
      done = true;
      return client;
    } finally {
      if (!done) {
        discard(store, storeDir, handle);
      }
    }
  }

  /** See {@link SottoClient#open}. */
  public static SottoClient open(Path storeDir, String account, char[] passphraseOrNull)
      throws SottoException {
    return open(storeDir, account, passphraseOrNull, Clock.systemUTC(), new SecureRandom());
  }

  /** {@link #open(Path, String, char[])} with a given clock and randomness (tests). */
  static DefaultSottoClient open(
      Path storeDir, String name, char[] passphrase, Clock clock, SecureRandom rng)
      throws SottoException {
    LocalStore store = Errors.storage(() -> LocalStore.open(storeDir, name, passphrase, rng));
    boolean done = false;
    try {
      SqliteProtocolStore protocol =
          Errors.storage(
              () ->
                  SqliteProtocolStore.load(store)
                      .orElseThrow(() -> new StorageException("the local store has no identity")));
      AccountRecord account = Errors.storage(() -> AccountRecord.load(store));
      ServerApi api = ServerApi.create(URI.create(account.server())).as(account.credentials());
      DefaultSottoClient client = new DefaultSottoClient(store, protocol, account, api, clock, rng);
      done = true;
      return client;
    } finally {
      if (!done) {
        try {
          store.close();
        } catch (StorageException ignored) {
          // Already failing with the more useful error.
        }
      }
    }
  }

  @Override
  public AccountId accountId() {
    return account.account();
  }

  @Override
  public int deviceId() {
    return account.deviceId();
  }

  @Override
  public long send(String recipient, String text) throws SottoException, InterruptedException {
    lock.lock();
    try {
      AccountId to = recipients.resolve(recipient);
      try {
        return sendLocked(to, recipient, text);
      } catch (SottoException e) {
        if (Recipients.isHandle(recipient)
            && e.getCause() instanceof HttpStatusException h
            && h.status() == HTTP_NOT_FOUND) {
          // The remembered account is gone: ask who has the handle now (and check its identity).
          return sendLocked(recipients.refresh(recipient), recipient, text);
        }
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long send(AccountId recipient, String text) throws SottoException, InterruptedException {
    Objects.requireNonNull(recipient, "recipient");
    lock.lock();
    try {
      return sendLocked(recipient, recipient.toString(), text);
    } finally {
      lock.unlock();
    }
  }

  private long sendLocked(AccountId to, String named, String text)
      throws SottoException, InterruptedException {
    // Timestamps identify a sender's messages and order the history: never reuse one.
    long timestamp = Math.max(clock.millis(), lastTimestamp + 1);
    lastTimestamp = timestamp;
    Content content = Content.of(text, timestamp, null);
    try {
      sender.send(to, content.encode(), timestamp);
    } catch (org.sotto.protocol.UntrustedIdentityException e) {
      throw new UntrustedIdentityException(named);
    } catch (TransportException e) {
      throw Errors.server(e);
    } catch (UncheckedStorageException e) {
      throw Errors.local(e.getCause());
    }
    if (!to.equals(accountId()) && haveOtherDevices()) {
      Content copy = Content.of(text, timestamp, to.toString());
      try {
        sender.send(accountId(), copy.encode(), timestamp);
      } catch (org.sotto.protocol.UntrustedIdentityException e) {
        throw new UntrustedIdentityException(accountId().toString());
      } catch (TransportException e) {
        throw Errors.server(e);
      } catch (UncheckedStorageException e) {
        throw Errors.local(e.getCause());
      }
    }
    StoredMessage stored =
        new StoredMessage(
            java.util.UUID.randomUUID(),
            to.toString(),
            accountId().toString(),
            deviceId(),
            java.time.Instant.ofEpochMilli(timestamp),
            clock.instant(),
            content.encode());
    Errors.storage(() -> store.history().add(stored));
    return timestamp;
  }

  /** Whether this account has devices besides this one (asked every {@link #OWN_DEVICES_TTL}). */
  private boolean haveOtherDevices() throws SottoException, InterruptedException {
    java.time.Instant now = clock.instant();
    if (haveOtherDevices == null || ownDevicesCheckedAt.plus(OWN_DEVICES_TTL).isBefore(now)) {
      List<DeviceId> devices = Errors.transport(api::devices);
      haveOtherDevices = devices.stream().anyMatch(d -> d.value() != deviceId());
      ownDevicesCheckedAt = now;
    }
    return haveOtherDevices;
  }

  // ---- receiving ----

  @Override
  public void startReceiving(MessageListener listener) {
    Objects.requireNonNull(listener, "listener");
    stopReceiving();
    Receiver r = new Receiver(listener);
    DeliveryConnection c = DeliveryConnection.open(api, account.credentials(), r);
    r.connection.complete(c);
    synchronized (this) {
      receiving = c;
    }
  }

  @Override
  public void stopReceiving() {
    DeliveryConnection c;
    synchronized (this) {
      c = receiving;
      receiving = null;
    }
    if (c != null) {
      c.close();
    }
  }

  @Override
  public List<IncomingMessage> receiveUntilQueueEmpty(Duration timeout, MessageListener errors)
      throws SottoException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    List<IncomingMessage> out = new ArrayList<>();
    CountDownLatch empty = new CountDownLatch(1);
    MessageListener collect =
        new MessageListener() {
          @Override
          public void onMessage(IncomingMessage message) {
            synchronized (out) {
              out.add(message);
            }
          }

          @Override
          public void onError(org.sotto.client.ReceiveError error) {
            if (errors != null) {
              errors.onError(error);
            }
          }

          @Override
          public void onQueueEmpty() {
            empty.countDown();
          }
        };
    Receiver r = new Receiver(collect);
    DeliveryConnection c = DeliveryConnection.open(api, account.credentials(), r);
    r.connection.complete(c);
    boolean emptied;
    try {
      emptied = empty.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      c.close();
    }
    if (!emptied && r.ended != null && r.ended != DeliveryConnection.Ended.CLOSED) {
      throw new SottoException("the server ended the connection: " + r.ended);
    }
    if (!emptied && !r.connected) {
      throw new SottoException("could not connect to " + api.server() + " within " + timeout);
    }
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  /** Processes one envelope under the client lock. Package-private for the duplicate test. */
  EnvelopeProcessor.Outcome process(Envelope e) {
    lock.lock();
    try {
      return processor.process(e);
    } finally {
      lock.unlock();
    }
  }

  /** Refills one-time prekeys and rotates the signed prekey when due; failures are only logged. */
  void maintainKeys() {
    lock.lock();
    try {
      preKeys.maintain(api);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StorageException | TransportException | UncheckedStorageException e) {
      // Retried after the next receive; the last-resort key covers the gap meanwhile.
      log.log(
          System.Logger.Level.WARNING, "prekey upkeep failed: {0}", e.getClass().getSimpleName());
    } finally {
      lock.unlock();
    }
  }

  /** Bridges the delivery socket to the processor, acks and the SDK listener. */
  private final class Receiver implements DeliveryConnection.Listener {
    final java.util.concurrent.CompletableFuture<DeliveryConnection> connection =
        new java.util.concurrent.CompletableFuture<>();
    private final MessageListener listener;
    volatile boolean connected;
    volatile DeliveryConnection.Ended ended;

    Receiver(MessageListener listener) {
      this.listener = listener;
    }

    @Override
    public void onEnvelope(Envelope envelope) {
      EnvelopeProcessor.Outcome outcome = process(envelope);
      if (outcome.ack()) {
        connection.join().ack(envelope.getGuid());
      }
      switch (outcome) {
        case EnvelopeProcessor.Stored s -> listener.onMessage(s.message());
        case EnvelopeProcessor.Failed f -> listener.onError(f.error());
        case EnvelopeProcessor.Duplicate d -> {}
      }
    }

    @Override
    public void onConnected() {
      connected = true;
    }

    @Override
    public void onEnded(DeliveryConnection.Ended why) {
      ended = why;
      if (why != DeliveryConnection.Ended.CLOSED) {
        log.log(System.Logger.Level.WARNING, "delivery connection ended: {0}", why);
      }
    }

    @Override
    public void onQueueEmpty() {
      maintainKeys();
      listener.onQueueEmpty();
    }
  }

  // ---- trust ----

  @Override
  public List<HistoryEntry> history(String recipient, int limit)
      throws SottoException, InterruptedException {
    AccountId id = recipients.known(recipient);
    List<StoredMessage> page = Errors.storage(() -> store.history().latest(id.toString(), limit));
    List<HistoryEntry> out = new ArrayList<>(page.size());
    for (StoredMessage m : page) {
      Content c;
      try {
        c = Content.decode(m.body());
      } catch (IOException e) {
        continue; // Written by a newer client version; not shown by this one.
      }
      out.add(
          new HistoryEntry(
              m.guid(), AccountId.parse(m.sender()), m.senderDevice(), m.sentAt(), c.text()));
    }
    return out;
  }

  @Override
  public void trust(String recipient) throws SottoException, InterruptedException {
    lock.lock();
    try {
      AccountId id = recipients.accept(recipient);
      KeyBundleResponse bundles = Errors.transport(() -> api.keyBundles(id));
      IdentityKey key = Sessions.identity(bundles.identityKey());
      Errors.storage(
          () ->
              store.<Void, SottoException>atomically(
                  () -> {
                    for (DeviceBundle d : bundles.devices()) {
                      if (id.equals(accountId()) && d.deviceId() == deviceId()) {
                        continue;
                      }
                      ProtocolAddress a = new ProtocolAddress(id.toString(), d.deviceId());
                      protocol.saveIdentity(a, key);
                      SessionRecord s = protocol.loadSession(a);
                      if (s == null
                          || !s.hasCurrentState()
                          || !key.equals(s.currentState().remoteIdentityKey())) {
                        protocol.deleteSession(a);
                        try {
                          sessions.start(id, bundles.identityKey(), d);
                        } catch (org.sotto.protocol.UntrustedIdentityException e) {
                          throw new AssertionError("the identity was saved as trusted just now", e);
                        }
                      }
                    }
                    return null;
                  }));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String safetyNumber(String recipient) throws SottoException, InterruptedException {
    AccountId id = recipients.known(recipient);
    IdentityKey theirs = Sessions.identity(Errors.transport(() -> api.profile(id)).identityKey());
    IdentityKey ours = protocol.getIdentityKeyPair().identityKey();
    return new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS)
        .createFor(
            NumericFingerprintGenerator.VERSION,
            NumericFingerprintGenerator.uuidIdentifier(accountId().value()),
            ours,
            NumericFingerprintGenerator.uuidIdentifier(id.value()),
            theirs)
        .displayable()
        .getDisplayText();
  }

  @Override
  public void unregister() throws SottoException, InterruptedException {
    stopReceiving();
    Errors.transport(
        () -> {
          api.deleteAccount();
          return null;
        });
  }

  @Override
  public void close() throws SottoException {
    stopReceiving();
    Errors.storage(
        () -> {
          store.close();
          return null;
        });
  }

  SqliteProtocolStore protocolStore() {
    return protocol;
  }

  ServerApi api() {
    return api;
  }

  List<Integer> sessionsForTest(AccountId account) {
    return sessions.devicesWithSessions(account);
  }

  AccountRecord account() {
    return account;
  }

  @Override
  public String toString() {
    return "SottoClient[" + account.accountId() + "." + account.deviceId() + "]";
  }

  /** Removes a store whose registration failed, so registering again can start afresh. */
  private static void discard(LocalStore store, Path dir, String name) {
    try {
      store.close();
    } catch (StorageException ignored) {
      // Deleting below is what matters.
    }
    for (String suffix :
        new String[] {
          LocalStore.DATABASE_SUFFIX,
          LocalStore.DATABASE_SUFFIX + "-wal",
          LocalStore.DATABASE_SUFFIX + "-shm",
          LocalStore.KEY_SUFFIX
        }) {
      try {
        Files.deleteIfExists(dir.resolve(name + suffix));
      } catch (IOException e) {
        log.log(System.Logger.Level.WARNING, "could not remove a half-created store file");
      }
    }
  }
}
