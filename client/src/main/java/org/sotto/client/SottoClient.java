package org.sotto.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sotto.api.AccountId;
import org.sotto.client.internal.DefaultSottoClient;

/**
 * One local account on one device: registers, sends and receives end-to-end encrypted text and
 * attachments with delivery/read receipts and disappearing-message timers, keeps its keys and
 * history in the encrypted local store and never hands a private key or a plaintext to the server.
 *
 * <p>A recipient is named by handle or by account id (the UUID's text form).
 *
 * <p>Thread-safe: every method may be called from any thread. Sends and received envelopes are
 * processed one at a time, since they share the protocol sessions; {@link MessageListener}
 * callbacks come from one delivery thread.
 */
public interface SottoClient extends AutoCloseable {
  /**
   * Creates the local store {@code handle} in {@code storeDir}, generates the identity and prekeys,
   * solves the server's proof-of-work and registers a new account with this handle.
   *
   * @param passphraseOrNull wraps the local data key when not null; the caller may wipe it after
   * @throws SottoException the handle is taken, the server is unreachable, or the store exists
   */
  static SottoClient register(URI server, String handle, Path storeDir, char[] passphraseOrNull)
      throws SottoException, InterruptedException {
    return DefaultSottoClient.register(server, handle, storeDir, passphraseOrNull);
  }

  /**
   * Opens the registered account {@code account} (its handle) from {@code storeDir}.
   *
   * @throws SottoException wrong passphrase, damaged or locked store, or no account there
   */
  static SottoClient open(Path storeDir, String account, char[] passphraseOrNull)
      throws SottoException {
    return DefaultSottoClient.open(storeDir, account, passphraseOrNull);
  }

  /**
   * Opens {@code account} like {@link #open(Path, String, char[])}, but talks to {@code server}
   * instead of the server URL stored with the account, for the life of this client only (the stored
   * URL is unchanged): another node of the same cluster, or the same server behind another address.
   *
   * @throws IllegalArgumentException {@code server} is not an absolute http or https URL with a
   *     host
   * @throws SottoException wrong passphrase, damaged or locked store, or no account there
   */
  static SottoClient open(Path storeDir, String account, char[] passphraseOrNull, URI server)
      throws SottoException {
    return DefaultSottoClient.open(storeDir, account, passphraseOrNull, server);
  }

  /**
   * Links this machine as a new device of an existing account. Opens the server's provisioning
   * socket, passes the link URI ({@code sotto://link?uuid=…&pub_key=…}) to {@code onLinkUri} (to
   * show as text or QR code to an existing device, which calls {@link #addDevice(URI)}), waits up
   * to {@code timeout} for the encrypted provisioning message, then creates the local store (named
   * by the account's handle, in the folder {@code storeDirForHandle} gives for that handle) with
   * this device's own prekeys and joins the account. On any failure no store is left behind.
   *
   * @param deviceNameOrNull this device's name, shown by {@link #devices()}; 1..64 characters
   * @param passphraseOrNull wraps the local data key when not null; the caller may wipe it after
   * @throws LinkException timed out, connection closed, invalid message or refused code
   * @throws IllegalArgumentException the device name is blank, too long or has control characters
   * @throws SottoException the server is unreachable or the local store cannot be created
   */
  static SottoClient link(
      URI server,
      String deviceNameOrNull,
      Function<String, Path> storeDirForHandle,
      char[] passphraseOrNull,
      Consumer<URI> onLinkUri,
      Duration timeout)
      throws SottoException, InterruptedException {
    return DefaultSottoClient.link(
        server, deviceNameOrNull, storeDirForHandle, passphraseOrNull, onLinkUri, timeout);
  }

  /** This account's id. */
  AccountId accountId();

  /** This device's id within the account. */
  int deviceId();

  /**
   * Encrypts {@code text} for every device of {@code recipient} and for this account's other
   * devices, sends it and stores it in the history. Returns the sender timestamp.
   *
   * @throws UntrustedIdentityException the recipient's identity changed; nothing was sent
   * @throws UnknownRecipientException no such handle or account
   * @throws SottoException the server or the local store failed
   */
  long send(String recipient, String text) throws SottoException, InterruptedException;

  /** {@link #send(String, String)} to an account id. */
  long send(AccountId recipient, String text) throws SottoException, InterruptedException;

  /**
   * Sends {@code text} (may be empty) with {@code attachments}: each file is encrypted with a fresh
   * key into a temporary file next to the store (never held in memory whole), uploaded (resumable)
   * while receiving goes on, and the message with the pointers is sent as {@link #send(String,
   * String)} does. Returns the sender timestamp.
   *
   * @param progress told about upload progress; may be null
   * @throws AttachmentFileException a file is missing, unreadable or larger than the limit (at most
   *     100 MiB minus 64 bytes, the server's default limit for the encrypted blob); nothing was
   *     sent
   * @throws UntrustedIdentityException the recipient's identity changed; nothing was sent
   * @throws UnknownRecipientException no such handle or account
   * @throws SottoException the server or the local store failed
   */
  long send(String recipient, String text, List<Path> attachments, TransferListener progress)
      throws SottoException, InterruptedException;

  /**
   * Tells {@code recipient} that we read its messages sent at {@code sentTimestamps} (their {@link
   * IncomingMessage#sentAt()} in epoch milliseconds). Delivery receipts are sent automatically for
   * every message received.
   */
  void markRead(String recipient, List<Long> sentTimestamps)
      throws SottoException, InterruptedException;

  /**
   * Sets the disappearing-message timer of the conversation with {@code recipient} (zero turns it
   * off) and sends the change to the recipient and our other devices. Messages stored while a timer
   * is set are deleted, with their saved attachment files, that long after this device stored them
   * (sent or received); expired messages are purged on open, on receive and when the history is
   * read.
   *
   * @throws IllegalArgumentException the timer is negative or longer than one year
   */
  void setExpireTimer(String recipient, Duration timer) throws SottoException, InterruptedException;

  /** The disappearing-message timer of the conversation with {@code recipient} (zero when off). */
  Duration expireTimer(String recipient) throws SottoException, InterruptedException;

  /**
   * Starts receiving in the background: each envelope is decrypted, stored with its session in one
   * commit, acknowledged and then passed to {@code listener}. A second call replaces the first.
   */
  void startReceiving(MessageListener listener);

  /** Stops background receiving (acknowledgements are flushed first). */
  void stopReceiving();

  /**
   * Connects, receives until the server's stored queue is empty or {@code timeout} passes,
   * disconnects and returns the new messages in delivery order; errors go to {@code errors}.
   */
  List<IncomingMessage> receiveUntilQueueEmpty(Duration timeout, MessageListener errors)
      throws SottoException, InterruptedException;

  /** The last {@code limit} messages of the conversation with {@code recipient}, oldest first. */
  List<HistoryEntry> history(String recipient, int limit)
      throws SottoException, InterruptedException;

  /**
   * Accepts {@code recipient}'s current identity key (after a change) so that sending works again.
   */
  void trust(String recipient) throws SottoException, InterruptedException;

  /**
   * The 60-digit safety number of this account and {@code recipient}: the same on both sides when
   * no one is in the middle.
   */
  String safetyNumber(String recipient) throws SottoException, InterruptedException;

  // ---- profiles ----

  /**
   * Sets this account's profile name ({@code ""} removes it). It is encrypted under the account's
   * profile key, which travels inside every message this account sends, so contacts can read the
   * name and the server cannot.
   *
   * @throws IllegalArgumentException the name is longer than 256 UTF-8 bytes or contains NUL
   * @throws SottoException the server or the local store failed, or this linked device has not yet
   *     learned the account's profile key (it arrives with a message from the primary device)
   */
  void setProfileName(String name) throws SottoException, InterruptedException;

  /**
   * The profile name of {@code recipient} (a handle or account id; this account's own works too),
   * fetched from the server and decrypted with the profile key the account shared with us. Without
   * that key, or when the stored profile does not decrypt, the name is empty and {@link
   * ProfileName#status()} says why.
   *
   * @throws UnknownRecipientException no such handle or account
   * @throws SottoException the server or the local store failed
   */
  ProfileName profileName(String recipient) throws SottoException, InterruptedException;

  /**
   * (Existing device) links the new device that shows {@code linkUri}: sends it this account's
   * identity and a fresh provisioning code, encrypted to the URI's public key. Returns once the
   * message is relayed; the new device then joins on its own.
   *
   * @throws LinkException the URI is malformed ({@link LinkException.Kind#INVALID_LINK_URI}) or no
   *     device waits there any more
   */
  void addDevice(URI linkUri) throws SottoException, InterruptedException;

  /** {@link #addDevice(URI)} with the URI as text (parsed strictly). */
  void addDevice(String linkUri) throws SottoException, InterruptedException;

  /** The devices of this account, by id; this device is marked. */
  List<LinkedDevice> devices() throws SottoException, InterruptedException;

  /**
   * Removes device {@code id} from this account; messages are no longer sent to it.
   *
   * @throws DeviceException it is this device, device 1, or no device of this account
   */
  void removeDevice(int id) throws SottoException, InterruptedException;

  /**
   * The account {@code recipient} names: itself for an account id, else the account remembered for
   * the handle, else the server's answer (then remembered, trusting on first use).
   *
   * @throws UnknownRecipientException no such handle
   * @throws SottoException the server or the local store failed
   */
  AccountId resolve(String recipient) throws SottoException, InterruptedException;

  /** The accounts this device knows (looked up by handle or talked to), ordered by account id. */
  List<ContactInfo> contacts() throws SottoException;

  /**
   * The identity keys this device holds for other accounts, with their trust state and safety
   * number, ordered by account id. Reads the local store only.
   */
  List<IdentityInfo> identities() throws SottoException;

  /**
   * Trusts {@code recipient}'s current identity (as {@link #trust}) and marks it verified, if
   * {@code safetyNumber} (spaces ignored) equals {@link #safetyNumber(String)}; otherwise changes
   * nothing and returns false.
   */
  boolean verify(String recipient, String safetyNumber) throws SottoException, InterruptedException;

  /** Deletes the account on the server (the local store stays, for its history). */
  void unregister() throws SottoException, InterruptedException;

  /** Stops receiving and closes the local store. */
  @Override
  void close() throws SottoException;
}
