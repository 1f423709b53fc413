package org.sotto.client.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.client.SottoException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.transport.ServerApi;
import org.sotto.protocol.IdentityKeyPair;

/** Creates a registered local account, or opens one. Stateless. */
final class Registration {
  private static final System.Logger log = System.getLogger(Registration.class.getName());

  private Registration() {}

  /** Creates the store and keys, registers, and records the account in the store. */
  static DefaultSottoClient register(
      URI server, String handle, Path storeDir, char[] passphrase, Clock clock, SecureRandom rng)
      throws SottoException, InterruptedException {
    Objects.requireNonNull(server, "server");
    LocalStore store = Errors.storage(() -> LocalStore.create(storeDir, handle, passphrase, rng));
    boolean done = false;
    try {
      IdentityKeyPair identity = IdentityKeyPair.generate(rng);
      NewDevice device = NewDevice.create(store, identity, clock, rng);
      SqliteProtocolStore protocol = device.protocol();
      DeviceKeys keys = device.keys();
      String secret = device.secret();
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
      client.afterRegistration(); // Profile key, trust root, first profile upload.
      done = true;
      return client;
    } finally {
      if (!done) {
        discard(store, storeDir, handle);
      }
    }
  }

  /** Opens a store that holds a registered account. */
  static DefaultSottoClient open(
      Path storeDir,
      String name,
      char[] passphrase,
      URI serverOrNull,
      Clock clock,
      SecureRandom rng)
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
      URI server = serverOrNull != null ? serverOrNull : URI.create(account.server());
      ServerApi api = ServerApi.create(server).as(account.credentials());
      DefaultSottoClient client = new DefaultSottoClient(store, protocol, account, api, clock, rng);
      client.ensureProfileKey(); // Stores made before profiles get a key.
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

  /** Removes a store whose registration failed, so registering again can start afresh. */
  static void discard(LocalStore store, Path dir, String name) {
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
          LocalStore.KEY_SUFFIX,
          LocalStore.LOCK_SUFFIX
        }) {
      try {
        Files.deleteIfExists(dir.resolve(name + suffix));
      } catch (IOException e) {
        log.log(System.Logger.Level.WARNING, "could not remove a half-created store file");
      }
    }
  }
}
