package org.sotto.client.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.client.LinkException;
import org.sotto.client.SottoException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.transport.HttpStatusException;
import org.sotto.client.transport.ProtocolViolationException;
import org.sotto.client.transport.ProvisioningConnection;
import org.sotto.client.transport.ServerApi;
import org.sotto.client.transport.TransportException;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECKeyPair;

/**
 * Device linking, both sides. The new device ({@link #link}) waits on the provisioning socket,
 * shows a {@link LinkUri} carrying its address and an ephemeral X25519 public key, decrypts the
 * {@link ProvisioningMessage} an existing device sends there ({@link #provision}), creates its
 * local store and joins the account with the message's provisioning code. Stateless.
 */
final class Linking {
  /** The store setting holding this device's name (UTF-8), when one was given at linking. */
  static final String DEVICE_NAME_SETTING = "device_name";

  /**
   * Longest device name: enough for "Alice's work laptop" in any script, short enough for a list.
   */
  static final int MAX_DEVICE_NAME_CHARS = 64;

  /** HTTP 400: the server refused the keys (signed by another identity than the account's). */
  private static final int HTTP_BAD_REQUEST = 400;

  /** HTTP 403: the provisioning code is wrong, used or expired. */
  private static final int HTTP_FORBIDDEN = 403;

  /** HTTP 404: no device waits at the provisioning address. */
  private static final int HTTP_NOT_FOUND = 404;

  /** HTTP 409: the account has the most devices the server allows. */
  private static final int HTTP_CONFLICT = 409;

  private Linking() {}

  /** The new device's side; see {@link org.sotto.client.SottoClient#link}. */
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
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(storeDirForHandle, "storeDirForHandle");
    Objects.requireNonNull(onLinkUri, "onLinkUri");
    Objects.requireNonNull(timeout, "timeout");
    checkDeviceName(deviceNameOrNull);
    ServerApi anonymous = ServerApi.create(server);
    ECKeyPair ephemeral = ECKeyPair.generate(rng);
    byte[] body;
    try (ProvisioningConnection connection =
        Errors.transport(() -> ProvisioningConnection.open(anonymous))) {
      onLinkUri.accept(new LinkUri(connection.address(), ephemeral.publicKey()).toUri());
      try {
        body = connection.awaitMessage(timeout);
      } catch (TimeoutException e) {
        throw new LinkException(LinkException.Kind.TIMED_OUT);
      } catch (ProtocolViolationException e) {
        throw new LinkException(LinkException.Kind.CONNECTION_CLOSED, e);
      } catch (TransportException e) {
        throw Errors.server(e);
      }
    }
    ProvisioningMessage message;
    try {
      byte[] plain = ProvisioningCipher.decrypt(ephemeral.privateKey(), body);
      try {
        message = ProvisioningMessage.decode(plain);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new LinkException(LinkException.Kind.INVALID_MESSAGE);
    }
    try {
      return join(anonymous, message, deviceNameOrNull, storeDirForHandle, passphrase, clock, rng);
    } finally {
      message.wipe();
    }
  }

  private static DefaultSottoClient join(
      ServerApi anonymous,
      ProvisioningMessage message,
      String deviceName,
      Function<String, Path> storeDirForHandle,
      char[] passphrase,
      Clock clock,
      SecureRandom rng)
      throws SottoException, InterruptedException {
    IdentityKeyPair identity;
    try {
      identity = IdentityKeyPair.fromBytes(message.identityKeyPair());
    } catch (InvalidKeyException | RuntimeException e) {
      throw new LinkException(LinkException.Kind.INVALID_MESSAGE);
    }
    String handle = message.handle();
    Path storeDir = Objects.requireNonNull(storeDirForHandle.apply(handle), "store folder");
    LocalStore store = Errors.storage(() -> LocalStore.create(storeDir, handle, passphrase, rng));
    boolean done = false;
    try {
      NewDevice device = NewDevice.create(store, identity, clock, rng);
      SqliteProtocolStore protocol = device.protocol();
      DeviceKeys keys = device.keys();
      String secret = device.secret();
      RegisterResponse r;
      try {
        r =
            anonymous.linkDevice(
                new LinkDeviceRequest(
                    message.account(),
                    message.code(),
                    secret,
                    keys,
                    deviceName == null ? null : DeviceNames.encrypt(identity, deviceName, rng)));
      } catch (HttpStatusException e) {
        throw switch (e.status()) {
          case HTTP_FORBIDDEN -> new LinkException(LinkException.Kind.CODE_REJECTED, e);
          case HTTP_CONFLICT -> new LinkException(LinkException.Kind.TOO_MANY_DEVICES, e);
          case HTTP_BAD_REQUEST -> new LinkException(LinkException.Kind.INVALID_MESSAGE, e);
          default -> Errors.server(e);
        };
      } catch (TransportException e) {
        throw Errors.server(e);
      }
      if (!r.accountId().equals(message.account())) {
        throw new LinkException(LinkException.Kind.INVALID_MESSAGE);
      }
      AccountRecord account =
          new AccountRecord(
              anonymous.server().toString(),
              r.accountId().toString(),
              r.deviceId(),
              secret,
              handle);
      Errors.storage(
          () ->
              store.<Void, StorageException>atomically(
                  () -> {
                    account.save(store);
                    if (message.profileKey() != null) {
                      // The account's one profile key: this device shares it from the start.
                      store.putSetting(Profiles.KEY_SETTING, message.profileKey());
                    }
                    if (deviceName != null) {
                      store.putSetting(
                          DEVICE_NAME_SETTING, deviceName.getBytes(StandardCharsets.UTF_8));
                    }
                    return null;
                  }));
      DefaultSottoClient client =
          new DefaultSottoClient(
              store, protocol, account, anonymous.as(account.credentials()), clock, rng);
      done = true;
      return client;
    } finally {
      if (!done) {
        Registration.discard(store, storeDir, handle);
      }
    }
  }

  /**
   * The existing device's side: asks the server for a provisioning code and sends the new device at
   * {@code linkUri} the account's identity, encrypted to the URI's key.
   */
  static void provision(
      ServerApi api,
      AccountRecord account,
      IdentityKeyPair identity,
      byte[] profileKeyOrNull,
      LinkUri linkUri,
      SecureRandom rng)
      throws SottoException, InterruptedException {
    String code = Errors.transport(api::provisioningCode).code();
    String handle = account.handle() != null ? account.handle() : account.accountId();
    ProvisioningMessage message =
        ProvisioningMessage.of(
            account.account(),
            handle,
            identity.serialize(),
            code,
            profileKeyOrNull == null ? null : profileKeyOrNull.clone());
    byte[] plain = message.encode();
    byte[] body;
    try {
      body = ProvisioningCipher.encrypt(linkUri.publicKey(), plain, rng);
    } finally {
      Arrays.fill(plain, (byte) 0);
      message.wipe();
    }
    try {
      api.sendProvisioningMessage(linkUri.address(), body);
    } catch (HttpStatusException e) {
      if (e.status() == HTTP_NOT_FOUND) {
        throw new LinkException(LinkException.Kind.NO_DEVICE_WAITING, e);
      }
      throw Errors.server(e);
    } catch (TransportException e) {
      throw Errors.server(e);
    }
  }

  /** This device's name as given at linking, if any. */
  static Optional<String> deviceName(LocalStore store) throws SottoException {
    return Errors.storage(() -> store.setting(DEVICE_NAME_SETTING))
        .map(b -> new String(b, StandardCharsets.UTF_8));
  }

  private static void checkDeviceName(String name) {
    if (name != null
        && (name.isBlank()
            || name.length() > MAX_DEVICE_NAME_CHARS
            || name.chars().anyMatch(Character::isISOControl))) {
      throw new IllegalArgumentException(
          "deviceName: 1.." + MAX_DEVICE_NAME_CHARS + " characters without control characters");
    }
  }
}
