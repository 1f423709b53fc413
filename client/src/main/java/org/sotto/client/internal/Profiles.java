package org.sotto.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.sotto.api.AccountId;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.api.dto.ProfileResponse;
import org.sotto.client.ProfileName;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SecretBytes;
import org.sotto.client.storage.StorageException;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;
import org.sotto.protocol.ProtocolAddress;

/**
 * This account's profile key and encrypted profile name, and the profile keys contacts shared with
 * us. The key is made at registration by the primary device (or on first open of a store made
 * before profiles existed) and kept in the store's encrypted settings; a linked device adopts the
 * key from the primary device's copies of sent messages instead of making its own, so the account
 * keeps one key and one delivery token. Not thread-safe: the client calls it under its own lock.
 */
final class Profiles {
  /** Setting holding our 32-byte profile key. */
  static final String KEY_SETTING = "profile_key";

  /** Setting holding our profile name (UTF-8), so it can be encrypted again under a new key. */
  static final String NAME_SETTING = "profile_name";

  /**
   * Setting that is {@link #PENDING} while the server does not yet have our current profile: the
   * upload at registration or after a key change failed, and is retried after each receive and
   * send.
   */
  static final String UPLOAD_PENDING_SETTING = "profile_upload_pending";

  /** Values of {@link #UPLOAD_PENDING_SETTING} (settings cannot be deleted, only replaced). */
  private static final byte[] PENDING = {1};

  private static final byte[] DONE = {0};

  private static final System.Logger log = System.getLogger(Profiles.class.getName());

  private final LocalStore store;
  private final ServerApi api;
  private final ProtocolAddress local;
  private final SecureRandom rng;

  // Caches, so that a send reads no settings; guarded by the client lock. Only set after a commit
  // (a rolled-back transaction must not leave a value here that the store does not have).
  private byte[] cachedKey;
  private boolean uploadDone;

  Profiles(LocalStore store, ServerApi api, ProtocolAddress local, SecureRandom rng) {
    this.store = store;
    this.api = api;
    this.local = local;
    this.rng = rng;
  }

  private boolean primary() {
    return local.deviceId() == DeviceId.PRIMARY.value();
  }

  /**
   * Our profile key. The primary device makes one when the store has none (and marks it for
   * upload); a linked device has one only once it adopted the primary's.
   */
  Optional<byte[]> ownKey() throws StorageException {
    if (cachedKey != null) {
      return Optional.of(cachedKey.clone());
    }
    Optional<byte[]> key = store.setting(KEY_SETTING);
    if (key.isPresent()) {
      cachedKey = key.get().clone();
      return key;
    }
    if (!primary()) {
      return key;
    }
    byte[] fresh = ProfileCipher.generateKey(rng);
    store.atomically(
        () -> {
          store.putSetting(KEY_SETTING, fresh);
          store.putSetting(UPLOAD_PENDING_SETTING, PENDING.clone());
          return null;
        });
    cachedKey = fresh.clone();
    uploadDone = false;
    return Optional.of(fresh);
  }

  /** Uploads our profile (name blob and delivery token) if an earlier upload did not happen. */
  void uploadIfPending() throws StorageException, TransportException, InterruptedException {
    if (uploadDone) {
      return;
    }
    if (!store.setting(UPLOAD_PENDING_SETTING).map(v -> Arrays.equals(v, PENDING)).orElse(false)) {
      uploadDone = true;
      return;
    }
    Optional<byte[]> key = ownKey();
    if (key.isEmpty()) {
      return;
    }
    upload(key.get(), savedName());
  }

  /** {@link #uploadIfPending()}, logging instead of failing (registration, upkeep). */
  void uploadIfPendingQuietly() throws InterruptedException {
    try {
      uploadIfPending();
    } catch (StorageException | TransportException e) {
      log.log(
          System.Logger.Level.WARNING,
          "profile upload failed, retried later: {0}",
          e.getClass().getSimpleName());
    }
  }

  /**
   * Sets our profile name ({@code ""} removes it): kept locally, encrypted under our profile key
   * and uploaded with the delivery token.
   *
   * @throws IllegalArgumentException the name is too long or contains NUL
   * @throws NoProfileKeyException this is a linked device that has not yet learned the key
   */
  void setName(String name)
      throws StorageException, TransportException, InterruptedException, NoProfileKeyException {
    ProfileCipher.checkName(name);
    byte[] key = ownKey().orElseThrow(NoProfileKeyException::new);
    store.atomically(
        () -> {
          store.putSetting(NAME_SETTING, name.getBytes(StandardCharsets.UTF_8));
          store.putSetting(UPLOAD_PENDING_SETTING, PENDING.clone());
          return null;
        });
    uploadDone = false;
    upload(key, name);
  }

  /**
   * Replaces our profile key with a fresh one and uploads the profile under it: contacts holding
   * the old key can no longer read the name or send sealed until our next message reaches them.
   */
  void rotateKey() throws StorageException, TransportException, InterruptedException {
    byte[] fresh = ProfileCipher.generateKey(rng);
    store.atomically(
        () -> {
          store.putSetting(KEY_SETTING, fresh);
          store.putSetting(UPLOAD_PENDING_SETTING, PENDING.clone());
          return null;
        });
    cachedKey = fresh.clone();
    uploadDone = false;
    upload(fresh, savedName());
  }

  private void upload(byte[] key, String name)
      throws StorageException, TransportException, InterruptedException {
    byte[] blob = ProfileCipher.encryptName(key, name, rng);
    byte[] token = ProfileCipher.accessKey(key);
    try {
      api.setProfile(new ProfileRequest(blob, token));
    } finally {
      Arrays.fill(token, (byte) 0);
    }
    boolean current =
        store.atomically(
            () -> {
              // Only when no newer key was made meanwhile (the lock makes that moot; be exact).
              Optional<byte[]> now = store.setting(KEY_SETTING);
              if (now.isPresent() && MessageDigest.isEqual(now.get(), key)) {
                store.putSetting(UPLOAD_PENDING_SETTING, DONE.clone());
                return true;
              }
              return false;
            });
    uploadDone = current;
  }

  private String savedName() throws StorageException {
    return store.setting(NAME_SETTING).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
  }

  /** The profile name of {@code account}: ours with our key, a contact's with its shared key. */
  ProfileName name(AccountId account)
      throws StorageException, TransportException, InterruptedException {
    Optional<byte[]> key;
    if (account.toString().equals(local.name())) {
      key = ownKey();
    } else {
      key = store.contacts().profileKey(account.value()).map(SecretBytes::bytes);
    }
    if (key.isEmpty()) {
      return ProfileName.none(ProfileName.Status.NO_PROFILE_KEY);
    }
    ProfileResponse r = api.profile(account);
    byte[] blob = r.blob();
    if (blob == null || blob.length == 0) {
      return ProfileName.none(ProfileName.Status.NOT_SET);
    }
    try {
      String name = ProfileCipher.decryptName(key.get(), blob);
      return name.isEmpty() ? ProfileName.none(ProfileName.Status.NOT_SET) : ProfileName.of(name);
    } catch (ProfileCipher.UnreadableProfileException e) {
      return ProfileName.none(ProfileName.Status.UNREADABLE);
    } finally {
      Arrays.fill(key.get(), (byte) 0);
    }
  }

  /**
   * Remembers the profile key a received message carries (called inside the message's commit). A
   * contact's new key replaces the old one; our own primary device's key is adopted by a linked
   * device; anything else from our own account is ignored.
   */
  void remember(AccountId sender, int senderDevice, Content content) throws StorageException {
    Optional<byte[]> shared = content.profileKeyBytes();
    if (shared.isEmpty()) {
      return;
    }
    byte[] key = shared.get();
    if (sender.toString().equals(local.name())) {
      if (!primary() && senderDevice == DeviceId.PRIMARY.value()) {
        Optional<byte[]> mine = store.setting(KEY_SETTING);
        if (mine.isEmpty() || !MessageDigest.isEqual(mine.get(), key)) {
          store.putSetting(KEY_SETTING, key);
          cachedKey = null; // Read again after the commit (which may yet roll back).
        }
      }
      return;
    }
    Optional<SecretBytes> known = store.contacts().profileKey(sender.value());
    if (known.isPresent() && known.get().equals(SecretBytes.copyOf(key))) {
      return;
    }
    byte[] token = ProfileCipher.accessKey(key);
    store
        .contacts()
        .putProfileKey(sender.value(), SecretBytes.copyOf(key), SecretBytes.copyOf(token));
    Arrays.fill(token, (byte) 0);
    Arrays.fill(key, (byte) 0);
  }

  /** The delivery token of {@code account}, when we know its profile key. */
  Optional<byte[]> accessKeyOf(AccountId account) throws StorageException {
    return store
        .contacts()
        .profileKey(account.value())
        .map(
            k -> {
              byte[] raw = k.bytes();
              byte[] token = ProfileCipher.accessKey(raw);
              Arrays.fill(raw, (byte) 0);
              return token;
            });
  }

  /** Forgets {@code account}'s profile key: the server refused the token derived from it. */
  void forget(AccountId account) throws StorageException {
    store.contacts().forgetProfileKey(account.value());
  }

  /** This linked device does not know the account's profile key yet. */
  static final class NoProfileKeyException extends Exception {
    private static final long serialVersionUID = 1L;

    NoProfileKeyException() {
      super(
          "this device does not know the account's profile key yet; it arrives with the next"
              + " message sent from the primary device",
          null,
          false,
          false);
    }
  }
}
