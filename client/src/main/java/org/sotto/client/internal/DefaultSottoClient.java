package org.sotto.client.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.sotto.api.AccountId;
import org.sotto.api.DeviceId;
import org.sotto.api.proto.Envelope;
import org.sotto.client.ContactInfo;
import org.sotto.client.HistoryEntry;
import org.sotto.client.IdentityInfo;
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
import org.sotto.protocol.ProtocolAddress;

/**
 * The SDK's implementation of {@link SottoClient}: wires the local store, the transport and the
 * protocol. Thread-safe: one lock serializes everything that touches sessions or prekeys (a send
 * with its network round trips, each received envelope, trust, prekey upkeep), so a slow send
 * delays the processing of incoming envelopes and the other way round.
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
  private final Identities identities;
  private final Directory directory;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private long lastTimestamp;
  private Boolean haveOtherDevices;
  private Instant ownDevicesCheckedAt;

  // Guarded by this.
  private DeliveryConnection receiving;

  DefaultSottoClient(
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
    this.identities = new Identities(store, protocol, api, sessions, local);
    this.directory = new Directory(store, protocol, local, clock);
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
    return Registration.register(server, handle, storeDir, passphrase, clock, rng);
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
    return Registration.open(storeDir, name, passphrase, clock, rng);
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
      return sendNamed(recipient, text);
    } catch (UntrustedIdentityException e) {
      directory.markHandleChanged(recipient);
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /** Sends to a recipient named by handle or id, under the lock. */
  private long sendNamed(String recipient, String text)
      throws SottoException, InterruptedException {
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
      directory.markChangeSeen(to.toString());
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
            UUID.randomUUID(),
            to.toString(),
            accountId().toString(),
            deviceId(),
            Instant.ofEpochMilli(timestamp),
            clock.instant(),
            content.encode());
    Errors.storage(() -> store.history().add(stored));
    return timestamp;
  }

  /** Whether this account has devices besides this one (asked every {@link #OWN_DEVICES_TTL}). */
  private boolean haveOtherDevices() throws SottoException, InterruptedException {
    Instant now = clock.instant();
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
    DeliveryBridge r = new DeliveryBridge(listener, this::process, this::maintainKeys);
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
    CollectingListener collect = new CollectingListener(errors);
    DeliveryBridge r = new DeliveryBridge(collect, this::process, this::maintainKeys);
    DeliveryConnection c = DeliveryConnection.open(api, account.credentials(), r);
    r.connection.complete(c);
    boolean emptied;
    try {
      emptied = collect.awaitQueueEmpty(timeout);
    } finally {
      c.close();
    }
    if (!emptied && r.ended != null && r.ended != DeliveryConnection.Ended.CLOSED) {
      throw new SottoException("the server ended the connection: " + r.ended);
    }
    if (!emptied && !r.connected) {
      throw new SottoException("could not connect to " + api.server() + " within " + timeout);
    }
    return collect.messages();
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
      identities.trust(recipients.accept(recipient));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String safetyNumber(String recipient) throws SottoException, InterruptedException {
    // The account trust() would accept, not the remembered one: after the handle moved to a new
    // account the remembered one may be gone, and the user compares the number before trusting.
    return identities.safetyNumber(recipients.current(recipient));
  }

  @Override
  public AccountId resolve(String recipient) throws SottoException, InterruptedException {
    lock.lock();
    try {
      return recipients.resolve(recipient);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<ContactInfo> contacts() throws SottoException {
    return directory.contacts();
  }

  @Override
  public List<IdentityInfo> identities() throws SottoException {
    return directory.identities();
  }

  @Override
  public boolean verify(String recipient, String safetyNumber)
      throws SottoException, InterruptedException {
    Objects.requireNonNull(safetyNumber, "safetyNumber");
    lock.lock();
    try {
      AccountId id = recipients.current(recipient);
      if (!Directory.sameNumber(identities.safetyNumber(id), safetyNumber)) {
        return false;
      }
      identities.trust(recipients.accept(recipient));
      directory.markVerified(id);
      return true;
    } finally {
      lock.unlock();
    }
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
}
