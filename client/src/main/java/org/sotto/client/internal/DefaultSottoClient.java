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
import java.util.function.Consumer;
import java.util.function.Function;
import org.sotto.api.AccountId;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceInfo;
import org.sotto.api.proto.Envelope;
import org.sotto.client.ContactInfo;
import org.sotto.client.DeviceException;
import org.sotto.client.HistoryEntry;
import org.sotto.client.IdentityInfo;
import org.sotto.client.IncomingMessage;
import org.sotto.client.LinkedDevice;
import org.sotto.client.MessageListener;
import org.sotto.client.MessageStatus;
import org.sotto.client.ProfileName;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import org.sotto.client.TransferListener;
import org.sotto.client.UntrustedIdentityException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.storage.StoredMessage;
import org.sotto.client.storage.UncheckedStorageException;
import org.sotto.client.transport.DeliveryConnection;
import org.sotto.client.transport.HttpStatusException;
import org.sotto.client.transport.SendConnection;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.ProtocolAddress;

/**
 * The SDK's implementation of {@link SottoClient}: wires the local store, the transport and the
 * protocol. Thread-safe: one lock serializes everything that touches sessions or prekeys (the
 * encryption of a send, each received envelope, trust, prekey upkeep). A send releases it while the
 * server answers its request, so several sends can be in flight and receiving goes on meanwhile.
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

  /** The server's answer when a request is refused as invalid (e.g. removing device 1). */
  private static final int HTTP_BAD_REQUEST = 400;

  private static final System.Logger log = System.getLogger(DefaultSottoClient.class.getName());

  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final AccountRecord account;
  private final ServerApi api;
  // Normal sends, over a socket once the client keeps sending; closed with the client.
  private final SendConnection sends;
  private final Clock clock;
  private final ProtocolAddress local;
  private final PreKeys preKeys;
  private final Sessions sessions;
  private final MessageSender sender;
  private final EnvelopeProcessor processor;
  private final Recipients recipients;
  private final Identities identities;
  private final Profiles profiles;
  private final SealedSender sealed;
  private final Attachments attachments;
  private final ExpireTimers timers;
  private final SecureRandom rng;
  private final Directory directory;
  private final DeliveryReceipts receipts;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * How often received envelopes trigger the purge of expired messages: a timer's granularity is
   * seconds, and purging after every envelope would add a write per message.
   */
  static final Duration PURGE_INTERVAL = Duration.ofSeconds(1);

  // Guarded by purgeLock.
  private final Object purgeLock = new Object();
  private Instant lastPurge = Instant.EPOCH;

  // Guarded by lock.
  private long lastTimestamp;
  private Boolean haveOtherDevices;
  private Instant ownDevicesCheckedAt;

  // Guarded by this.
  private DeliveryConnection receiving;
  private DeliveryBridge receivingBridge;

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
    this.sends = SendConnection.of(api, account.credentials());
    this.clock = clock;
    this.rng = rng;
    this.local = new ProtocolAddress(account.accountId(), account.deviceId());
    this.preKeys = new PreKeys(store, protocol, clock, rng);
    this.sessions = new Sessions(protocol, clock, rng);
    this.profiles = new Profiles(store, api, local, rng);
    this.sealed = new SealedSender(store, protocol, api, local, clock);
    this.sender =
        new MessageSender(
            api, sends, store, protocol, sessions, local, clock, rng, sealed, profiles, lock);
    this.attachments = new Attachments(store, api, rng);
    this.timers = new ExpireTimers(store);
    this.processor =
        new EnvelopeProcessor(
            store, protocol, local, clock, rng, profiles, sealed, attachments, timers);
    this.recipients = new Recipients(store, protocol, api);
    this.identities = new Identities(store, protocol, api, sessions, local);
    this.receipts = new DeliveryReceipts(this::sendDeliveryReceipts);
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
    return open(storeDir, account, passphraseOrNull, null, Clock.systemUTC(), new SecureRandom());
  }

  /** See {@link SottoClient#open(Path, String, char[], URI)}. */
  public static SottoClient open(Path storeDir, String account, char[] passphraseOrNull, URI server)
      throws SottoException {
    Objects.requireNonNull(server, "server");
    return open(storeDir, account, passphraseOrNull, server, Clock.systemUTC(), new SecureRandom());
  }

  /** {@link #open(Path, String, char[])} with a given clock and randomness (tests). */
  static DefaultSottoClient open(
      Path storeDir, String name, char[] passphrase, Clock clock, SecureRandom rng)
      throws SottoException {
    return open(storeDir, name, passphrase, null, clock, rng);
  }

  /**
   * Opens the account, talking to {@code serverOrNull} instead of its stored server URL when that
   * is not null (tests, and one invocation pointed at another node).
   */
  static DefaultSottoClient open(
      Path storeDir,
      String name,
      char[] passphrase,
      URI serverOrNull,
      Clock clock,
      SecureRandom rng)
      throws SottoException {
    DefaultSottoClient c = Registration.open(storeDir, name, passphrase, serverOrNull, clock, rng);
    c.purgeExpiredQuietly();
    return c;
  }

  /** See {@link SottoClient#link}. */
  public static SottoClient link(
      URI server,
      String deviceNameOrNull,
      Function<String, Path> storeDirForHandle,
      char[] passphraseOrNull,
      Consumer<URI> onLinkUri,
      Duration timeout)
      throws SottoException, InterruptedException {
    return link(
        server,
        deviceNameOrNull,
        storeDirForHandle,
        passphraseOrNull,
        onLinkUri,
        timeout,
        Clock.systemUTC(),
        new SecureRandom());
  }

  /**
   * {@link #link(URI, String, Function, char[], Consumer, Duration)} with a given clock (tests).
   */
  static DefaultSottoClient link(
      URI server,
      String deviceNameOrNull,
      Function<String, Path> storeDirForHandle,
      char[] passphrase,
      Consumer<URI> onLinkUri,
      Duration timeout,
      Clock clock,
      SecureRandom rng)
      throws SottoException, InterruptedException {
    return Linking.link(
        server, deviceNameOrNull, storeDirForHandle, passphrase, onLinkUri, timeout, clock, rng);
  }

  @Override
  public AccountId accountId() {
    return account.account();
  }

  @Override
  public int deviceId() {
    return account.deviceId();
  }

  /** Builds the content of one send for its timestamp (and the destination of our copy). */
  @FunctionalInterface
  interface ContentAt {
    Content at(long timestamp, String destinationOrNull);
  }

  /** What one send does besides sending. */
  private record SendPlan(
      ContentAt content, boolean copyToOwnDevices, boolean storeInHistory, List<Path> sentFiles) {}

  @Override
  public long send(String recipient, String text) throws SottoException, InterruptedException {
    Objects.requireNonNull(text, "text");
    Content.of(text, 0, null); // Checks the text before anything is sent.
    return sendTo(
        recipient, new SendPlan((ts, dest) -> Content.of(text, ts, dest), true, true, List.of()));
  }

  @Override
  public long send(AccountId recipient, String text) throws SottoException, InterruptedException {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(text, "text");
    Content.of(text, 0, null);
    lock.lock();
    try {
      return sendLocked(
          recipient,
          recipient.toString(),
          new SendPlan((ts, dest) -> Content.of(text, ts, dest), true, true, List.of()));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long send(
      String recipient, String text, List<Path> attachmentFiles, TransferListener progress)
      throws SottoException, InterruptedException {
    Objects.requireNonNull(text, "text");
    List<Path> files = List.copyOf(attachmentFiles);
    TransferListener listener = progress == null ? TransferListener.NONE : progress;
    Content.message(text, 0, null, null); // Checks the text before anything is uploaded.
    Attachments.checkFiles(files);
    lock.lock();
    try {
      recipients.resolve(recipient); // An unknown recipient fails before the uploads.
    } finally {
      lock.unlock();
    }
    // Encrypting and uploading run without the lock: receiving goes on meanwhile.
    List<Content.Attachment> pointers = new ArrayList<>(files.size());
    for (Path f : files) {
      pointers.add(attachments.upload(f, listener));
    }
    return sendTo(
        recipient,
        new SendPlan((ts, dest) -> Content.message(text, ts, dest, pointers), true, true, files));
  }

  @Override
  public void markRead(String recipient, List<Long> sentTimestamps)
      throws SottoException, InterruptedException {
    List<Long> ts = List.copyOf(sentTimestamps);
    if (ts.isEmpty()) {
      return;
    }
    for (int from = 0; from < ts.size(); from += Content.MAX_RECEIPT_TIMESTAMPS) {
      List<Long> part =
          ts.subList(from, Math.min(ts.size(), from + Content.MAX_RECEIPT_TIMESTAMPS));
      Content.receipt(Content.Receipt.READ, part, 1); // Checks before sending.
      sendTo(
          recipient,
          new SendPlan(
              (t, dest) -> Content.receipt(Content.Receipt.READ, part, t),
              false,
              false,
              List.of()));
    }
  }

  @Override
  public void setExpireTimer(String recipient, Duration timer)
      throws SottoException, InterruptedException {
    Objects.requireNonNull(timer, "timer");
    long seconds = timer.toSeconds();
    if (timer.isNegative() || seconds > Content.MAX_EXPIRE_TIMER_SECONDS) {
      throw new IllegalArgumentException(
          "timer: 0.." + Content.MAX_EXPIRE_TIMER_SECONDS + " seconds");
    }
    sendTo(
        recipient,
        new SendPlan((t, dest) -> Content.timerChange(seconds, t, dest), true, false, List.of()));
  }

  @Override
  public Duration expireTimer(String recipient) throws SottoException, InterruptedException {
    AccountId id = recipients.known(recipient);
    return Errors.storage(() -> timers.get(id.toString()));
  }

  /** Resolves {@code recipient} and sends under the lock, retrying once if the handle moved. */
  private long sendTo(String recipient, SendPlan plan) throws SottoException, InterruptedException {
    lock.lock();
    try {
      AccountId to = recipients.resolve(recipient);
      try {
        return sendLocked(to, recipient, plan);
      } catch (SottoException e) {
        if (Recipients.isHandle(recipient)
            && e.getCause() instanceof HttpStatusException h
            && h.status() == HTTP_NOT_FOUND) {
          // The remembered account is gone: ask who has the handle now (and check its identity).
          return sendLocked(recipients.refresh(recipient), recipient, plan);
        }
        throw e;
      }
    } catch (UntrustedIdentityException e) {
      directory.markHandleChanged(recipient);
      throw e;
    } finally {
      lock.unlock();
    }
  }

  private long sendLocked(AccountId to, String named, SendPlan plan)
      throws SottoException, InterruptedException {
    // Timestamps identify a sender's messages and order the history: never reuse one.
    long timestamp = Math.max(clock.millis(), lastTimestamp + 1);
    lastTimestamp = timestamp;
    Content content = plan.content().at(timestamp, null);
    // Every content carries our profile key; the history keeps it without.
    byte[] profileKey = Errors.storage(profiles::ownKey).orElse(null);
    Content wire = profileKey == null ? content : content.withProfileKey(profileKey);
    // The history entry is written in the same commit as the session steps of the send; if the
    // server does not take the message it is deleted again.
    StoredSent history = plan.storeInHistory() ? sentEntry(to, timestamp, content, plan) : null;
    boolean accepted = false;
    try {
      sender.send(to, wire.encode(), timestamp, history == null ? null : history::write);
      accepted = true;
    } catch (org.sotto.protocol.UntrustedIdentityException e) {
      directory.markChangeSeen(to.toString());
      throw new UntrustedIdentityException(named);
    } catch (TransportException e) {
      throw Errors.server(e);
    } catch (UncheckedStorageException e) {
      throw Errors.local(e.getCause());
    } finally {
      if (!accepted && history != null) {
        history.forgetQuietly();
      }
    }
    if (plan.copyToOwnDevices() && !to.equals(accountId()) && haveOtherDevices()) {
      Content copy = plan.content().at(timestamp, to.toString());
      if (profileKey != null) {
        copy = copy.withProfileKey(profileKey); // Linked devices adopt it.
      }
      try {
        sender.send(accountId(), copy.encode(), timestamp, null);
      } catch (org.sotto.protocol.UntrustedIdentityException e) {
        throw new UntrustedIdentityException(accountId().toString());
      } catch (TransportException e) {
        throw Errors.server(e);
      } catch (UncheckedStorageException e) {
        throw Errors.local(e.getCause());
      }
    }
    if (content.expireTimer() != null) {
      Errors.storage(
          () -> {
            timers.set(to.toString(), content.expireTimer());
            return null;
          });
    }
    profiles.uploadIfPendingQuietly();
    return timestamp;
  }

  /** The history entry of one of our sends, written in the commit of its encryption. */
  private final class StoredSent {
    private final AccountId to;
    private final StoredMessage stored;
    private final List<Attachments.Record> records;

    StoredSent(AccountId to, StoredMessage stored, List<Attachments.Record> records) {
      this.to = to;
      this.stored = stored;
      this.records = records;
    }

    /** Runs inside the send's unit. */
    void write() throws StorageException {
      store.history().add(stored, timers.expiresAt(to.toString(), stored.receivedAt()));
      store.history().state().putStatus(stored.guid(), to.toString(), MessageStatus.SENT.ordinal());
      attachments.putRecords(stored.guid(), records);
    }

    /** The server did not take the message: it leaves the history (if it got there). */
    void forgetQuietly() {
      try {
        store.history().delete(stored.guid());
      } catch (StorageException | RuntimeException e) {
        log.log(
            System.Logger.Level.WARNING,
            "could not remove an unsent message from the history: {0}",
            e.getClass().getSimpleName());
      }
    }
  }

  private StoredSent sentEntry(AccountId to, long timestamp, Content content, SendPlan plan) {
    Instant now = clock.instant();
    StoredMessage stored =
        new StoredMessage(
            UUID.randomUUID(),
            to.toString(),
            accountId().toString(),
            deviceId(),
            Instant.ofEpochMilli(timestamp),
            now,
            content.encode());
    List<Attachments.Record> records = new ArrayList<>();
    List<Content.Attachment> pointers = content.attachmentList();
    List<Path> files = plan.sentFiles();
    for (int i = 0; i < pointers.size(); i++) {
      records.add(
          new Attachments.Record(
              pointers.get(i), files.get(i).toAbsolutePath().toString(), null, false));
    }
    return new StoredSent(to, stored, records);
  }

  /** Sends a content built by {@code content} to {@code to} (tests: crafted contents). */
  long sendContentForTest(AccountId to, ContentAt content, boolean storeInHistory)
      throws SottoException, InterruptedException {
    lock.lock();
    try {
      return sendLocked(to, to.toString(), new SendPlan(content, false, storeInHistory, List.of()));
    } finally {
      lock.unlock();
    }
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

  /** Forgets the cached own-device list, so the next send asks the server again. */
  private void invalidateOwnDevices() {
    lock.lock();
    try {
      haveOtherDevices = null;
      ownDevicesCheckedAt = null;
    } finally {
      lock.unlock();
    }
  }

  // ---- devices ----

  @Override
  public void addDevice(URI linkUri) throws SottoException, InterruptedException {
    LinkUri parsed = LinkUri.parse(linkUri);
    byte[] profileKey = Errors.storage(profiles::ownKey).orElse(null);
    Linking.provision(api, account, protocol.getIdentityKeyPair(), profileKey, parsed, rng);
    invalidateOwnDevices();
  }

  @Override
  public void addDevice(String linkUri) throws SottoException, InterruptedException {
    LinkUri parsed = LinkUri.parse(linkUri);
    addDevice(parsed.toUri());
  }

  @Override
  public List<LinkedDevice> devices() throws SottoException, InterruptedException {
    List<DeviceInfo> infos = Errors.transport(api::deviceInfos);
    String ownName = Linking.deviceName(store).orElse(null);
    IdentityKeyPair identity = protocol.getIdentityKeyPair();
    List<LinkedDevice> out = new ArrayList<>(infos.size());
    for (DeviceInfo d : infos) {
      boolean self = d.deviceId() == deviceId();
      // A name that does not decrypt (another client's format, or damaged) is shown as unknown.
      String name = d.name() == null ? null : DeviceNames.decrypt(identity, d.name()).orElse(null);
      if (name == null && self) {
        name = ownName;
      }
      out.add(new LinkedDevice(d.deviceId(), name, self));
    }
    return out;
  }

  @Override
  public void removeDevice(int id) throws SottoException, InterruptedException {
    if (id == deviceId()) {
      throw new DeviceException(DeviceException.Kind.THIS_DEVICE);
    }
    DeviceId device;
    try {
      device = new DeviceId(id);
    } catch (IllegalArgumentException e) {
      throw new DeviceException(DeviceException.Kind.NO_SUCH_DEVICE, e);
    }
    try {
      api.removeDevice(device);
    } catch (HttpStatusException e) {
      throw switch (e.status()) {
        case HTTP_NOT_FOUND -> new DeviceException(DeviceException.Kind.NO_SUCH_DEVICE, e);
        case HTTP_BAD_REQUEST -> new DeviceException(DeviceException.Kind.PRIMARY_DEVICE, e);
        default -> Errors.server(e);
      };
    } catch (TransportException e) {
      throw Errors.server(e);
    } finally {
      invalidateOwnDevices();
    }
  }

  // ---- receiving ----

  @Override
  public void startReceiving(MessageListener listener) {
    Objects.requireNonNull(listener, "listener");
    stopReceiving();
    pinTrustRoot();
    DeliveryBridge r = new DeliveryBridge(listener, this::stage, this::finish, this::maintainKeys);
    DeliveryConnection c = DeliveryConnection.open(api, account.credentials(), r);
    r.acks.complete(c::ack);
    synchronized (this) {
      receiving = c;
      receivingBridge = r;
    }
  }

  @Override
  public void stopReceiving() {
    DeliveryConnection c;
    DeliveryBridge r;
    synchronized (this) {
      c = receiving;
      r = receivingBridge;
      receiving = null;
      receivingBridge = null;
    }
    if (r != null) {
      r.drain(); // Acks what is received so far while the connection is still open.
    }
    if (c != null) {
      c.close();
    }
    if (r != null) {
      r.close();
    }
    try {
      receipts.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<IncomingMessage> receiveUntilQueueEmpty(Duration timeout, MessageListener errors)
      throws SottoException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    pinTrustRoot();
    CollectingListener collect = new CollectingListener(errors);
    DeliveryBridge r = new DeliveryBridge(collect, this::stage, this::finish, this::maintainKeys);
    DeliveryConnection c = DeliveryConnection.open(api, account.credentials(), r);
    r.acks.complete(c::ack);
    boolean emptied;
    try {
      emptied = collect.awaitQueueEmpty(timeout);
    } finally {
      r.drain();
      c.close();
      r.close();
      receipts.flush();
    }
    if (!emptied && r.ended != null && r.ended != DeliveryConnection.Ended.CLOSED) {
      throw new SottoException("the server ended the connection: " + r.ended);
    }
    if (!emptied && !r.connected) {
      throw new SottoException("could not connect to " + api.server() + " within " + timeout);
    }
    return collect.messages();
  }

  /**
   * Processes one envelope: {@link #stage} then {@link #finish}, in the caller's thread.
   * Package-private for the duplicate test.
   */
  EnvelopeProcessor.Outcome process(Envelope e) {
    return finish(stage(e));
  }

  /**
   * Receiving, first step (the delivery thread): decrypts and stores the envelope under the client
   * lock as one unit of the store's group commit, without waiting for the commit, so the envelopes
   * of a burst share one.
   */
  EnvelopeProcessor.Received stage(Envelope e) {
    lock.lock();
    try {
      return processor.process(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Receiving, second step: waits for the commit of the envelope's unit, then, without the lock,
   * downloads its attachments (so a long transfer does not stop sending), owes the delivery receipt
   * and purges expired messages. The caller acks after this returns, so an envelope is acked only
   * once its message is durably stored; if the process dies during a download the envelope comes
   * again and the pending downloads are retried.
   */
  EnvelopeProcessor.Outcome finish(EnvelopeProcessor.Received received) {
    EnvelopeProcessor.Outcome outcome = received.awaitOutcome();
    try {
      switch (outcome) {
        case EnvelopeProcessor.Stored s -> {
          IncomingMessage m = s.message();
          if (!m.attachments().isEmpty()) {
            m = m.withAttachments(attachments.completePending(m.guid()));
            outcome = new EnvelopeProcessor.Stored(m);
          }
          if (!m.sender().equals(accountId())) {
            receipts.add(m.sender(), m.sentAt().toEpochMilli());
          }
        }
        case EnvelopeProcessor.Duplicate d -> attachments.completePending(d.guid());
        default -> {}
      }
      purgeExpiredIfDue();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } catch (StorageException | RuntimeException ex) {
      // The message itself is stored; downloads left pending are retried on redelivery. Nothing
      // here may stop receiving.
      log.log(
          System.Logger.Level.WARNING,
          "after-receive work failed: {0}",
          ex.getClass().getSimpleName());
    }
    return outcome;
  }

  /** Sends one batch of delivery receipts (see {@link DeliveryReceipts}). */
  private void sendDeliveryReceipts(AccountId to, List<Long> sent) throws InterruptedException {
    try {
      sendTo(
          to.toString(),
          new SendPlan(
              (t, dest) -> Content.receipt(Content.Receipt.DELIVERY, sent, t),
              false,
              false,
              List.of()));
    } catch (SottoException | RuntimeException ex) {
      // A receipt is a courtesy: the message is stored either way.
      log.log(
          System.Logger.Level.INFO,
          "delivery receipt not sent: {0}",
          ex.getClass().getSimpleName());
    }
  }

  /** {@link #purgeExpired()} at most once per {@link #PURGE_INTERVAL}. */
  private void purgeExpiredIfDue() throws StorageException {
    Instant now = clock.instant();
    synchronized (purgeLock) {
      if (now.isBefore(lastPurge.plus(PURGE_INTERVAL))) {
        return;
      }
      lastPurge = now;
    }
    purgeExpired();
  }

  /** Deletes expired messages and their saved attachment files. */
  void purgeExpired() throws StorageException {
    timers.purge(clock.instant(), attachments);
  }

  private void purgeExpiredQuietly() {
    try {
      purgeExpired();
    } catch (StorageException | UncheckedStorageException e) {
      log.log(
          System.Logger.Level.WARNING,
          "purging expired messages failed: {0}",
          e.getClass().getSimpleName());
    }
  }

  /** Refills one-time prekeys and rotates the signed prekey when due; failures are only logged. */
  void maintainKeys() {
    lock.lock();
    try {
      preKeys.maintain(api);
      profiles.uploadIfPendingQuietly();
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
    Errors.storage(
        () -> {
          purgeExpired();
          return null;
        });
    List<StoredMessage> page = Errors.storage(() -> store.history().latest(id.toString(), limit));
    List<HistoryEntry> out = new ArrayList<>(page.size());
    for (StoredMessage m : page) {
      Content c;
      try {
        c = Content.decode(m.body());
      } catch (IOException e) {
        continue; // Written by a newer client version; not shown by this one.
      }
      if (!c.isMessage()) {
        continue;
      }
      boolean ours = m.sender().equals(accountId().toString());
      MessageStatus status =
          ours
              ? Errors.storage(() -> store.history().state().status(m.guid(), id.toString()))
                  .map(code -> MessageStatus.values()[Math.min(code, MessageStatus.READ.ordinal())])
                  .orElse(MessageStatus.SENT)
              : null;
      out.add(
          new HistoryEntry(
              m.guid(),
              AccountId.parse(m.sender()),
              m.senderDevice(),
              m.sentAt(),
              c.textOrEmpty(),
              Errors.storage(() -> attachments.views(m.guid())),
              status));
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

  // ---- profiles and sealed sender ----

  @Override
  public void setProfileName(String name) throws SottoException, InterruptedException {
    ProfileCipher.checkName(name);
    lock.lock();
    try {
      profiles.setName(name);
    } catch (Profiles.NoProfileKeyException e) {
      throw new SottoException(e.getMessage(), e);
    } catch (TransportException e) {
      throw Errors.server(e);
    } catch (StorageException e) {
      throw Errors.local(e);
    } catch (UncheckedStorageException e) {
      throw Errors.local(e.getCause());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ProfileName profileName(String recipient) throws SottoException, InterruptedException {
    lock.lock();
    try {
      return profiles.name(recipients.resolve(recipient));
    } catch (TransportException e) {
      throw Errors.server(e);
    } catch (StorageException e) {
      throw Errors.local(e);
    } catch (UncheckedStorageException e) {
      throw Errors.local(e.getCause());
    } finally {
      lock.unlock();
    }
  }

  /** Pins the sealed-sender trust root if it is not yet (stores made before sealed sender). */
  private void pinTrustRoot() {
    lock.lock();
    try {
      sealed.pinQuietly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Right after registration: pins the trust root and uploads the first profile (best effort). */
  void afterRegistration() throws InterruptedException {
    lock.lock();
    try {
      sealed.pinQuietly();
      Errors.storage(profiles::ownKey);
      profiles.uploadIfPendingQuietly();
    } catch (SottoException e) {
      log.log(System.Logger.Level.WARNING, "profile setup failed, retried later");
    } finally {
      lock.unlock();
    }
  }

  /** Makes sure the primary device has a profile key (stores made before profiles existed). */
  void ensureProfileKey() throws SottoException {
    lock.lock();
    try {
      Errors.storage(profiles::ownKey);
    } finally {
      lock.unlock();
    }
  }

  Profiles profiles() {
    return profiles;
  }

  SealedSender sealedSender() {
    return sealed;
  }

  LocalStore store() {
    return store;
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
    receipts.close();
    sends.close();
    sealed.close();
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

  Attachments attachmentsForTest() {
    return attachments;
  }

  Path storeFolderForTest() {
    return store.databaseFile().toAbsolutePath().getParent();
  }

  @Override
  public String toString() {
    return "SottoClient[" + account.accountId() + "." + account.deviceId() + "]";
  }
}
