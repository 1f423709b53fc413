package org.sotto.server.messages;

import java.util.concurrent.ConcurrentHashMap;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.ApiChecks;
import org.sotto.api.DeviceId;

/**
 * {@link MessageBus} for a single node: a map from device to its live listener. Thread-safe; every
 * operation is a map lookup.
 */
public final class LocalMessageBus implements MessageBus {
  private final ConcurrentHashMap<Address, Listener> live = new ConcurrentHashMap<>();

  @Override
  public Registration register(Address device, Listener listener) {
    Listener older = live.put(device, listener);
    if (older != null && older != listener) {
      older.close(CloseReason.REPLACED);
    }
    return () -> live.remove(device, listener);
  }

  @Override
  public void mail(Address device) {
    Listener l = live.get(device);
    if (l != null) {
      l.mail();
    }
  }

  @Override
  public void removed(Address device) {
    Listener l = live.remove(device);
    if (l != null) {
      l.close(CloseReason.DEVICE_GONE);
    }
  }

  @Override
  public void accountDeleted(AccountId account) {
    for (int id = 1; id <= ApiChecks.MAX_DEVICE_ID; id++) {
      removed(new Address(account, new DeviceId(id)));
    }
  }

  /** Devices with a live listener on this node. */
  public int size() {
    return live.size();
  }
}
