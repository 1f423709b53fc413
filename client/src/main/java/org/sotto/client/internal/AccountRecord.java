package org.sotto.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.client.storage.CorruptStoreException;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.StorageException;
import org.sotto.client.transport.DeviceCredentials;

/**
 * Who this local store is on the server: server URL, account, device, device secret, handle. Kept
 * encrypted in the store's settings. {@link #toString()} leaves the secret out. Immutable.
 */
record AccountRecord(String server, String accountId, int deviceId, String secret, String handle) {
  private static final String SETTING = "account";
  private static final ObjectMapper JSON = new ObjectMapper();

  AccountRecord {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(secret, "secret");
  }

  AccountId account() {
    return AccountId.parse(accountId);
  }

  DeviceCredentials credentials() {
    return new DeviceCredentials(new Address(account(), new DeviceId(deviceId)), secret);
  }

  void save(LocalStore store) throws StorageException {
    try {
      store.putSetting(SETTING, JSON.writeValueAsBytes(this));
    } catch (IOException e) {
      throw new AssertionError("a record of strings and numbers always serializes", e);
    }
  }

  static AccountRecord load(LocalStore store) throws StorageException {
    byte[] b =
        store
            .setting(SETTING)
            .orElseThrow(() -> new StorageException("this local store has no registered account"));
    try {
      return JSON.readValue(b, AccountRecord.class);
    } catch (IOException | RuntimeException e) {
      throw new CorruptStoreException("the stored account record does not parse");
    }
  }

  @Override
  public String toString() {
    return "AccountRecord[" + accountId + "." + deviceId + ", secret=<redacted>]";
  }
}
