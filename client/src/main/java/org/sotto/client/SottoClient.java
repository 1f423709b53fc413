package org.sotto.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.sotto.api.AccountId;
import org.sotto.client.internal.DefaultSottoClient;

/**
 * One local account on one device: registers, sends and receives end-to-end encrypted text, keeps
 * its keys and history in the encrypted local store and never hands a private key or a plaintext to
 * the server.
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
