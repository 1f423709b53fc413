package org.sotto.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;

class CachingDeviceStoreTest {
  private static final long MS = 1_000_000L;

  /** An in-memory device store that counts reads of device lists. */
  private static final class CountingStore implements DeviceStore {
    final Map<AccountId, List<DeviceRecord>> lists = new HashMap<>();
    int reads;
    Runnable duringRead = () -> {};

    @Override
    public List<DeviceRecord> devices(AccountId account) {
      reads++;
      List<DeviceRecord> snapshot = new ArrayList<>(lists.getOrDefault(account, List.of()));
      Runnable r = duringRead;
      duringRead = () -> {};
      r.run();
      return snapshot;
    }

    @Override
    public Optional<DeviceRecord> device(Address address) {
      return Optional.empty();
    }

    @Override
    public DeviceRecord add(AccountId account, NewDevice device, int max) {
      DeviceRecord r = record(account, lists.getOrDefault(account, List.of()).size() + 1);
      lists.computeIfAbsent(account, a -> new ArrayList<>()).add(r);
      return r;
    }

    @Override
    public boolean remove(Address address) {
      return lists
          .getOrDefault(address.account(), new ArrayList<>())
          .removeIf(d -> d.address().equals(address));
    }

    @Override
    public void addProvisioningCode(AccountId account, byte[] codeHash, long expiresMs) {}

    @Override
    public boolean consumeProvisioningCode(AccountId account, byte[] codeHash, long nowMs) {
      return false;
    }
  }

  private static DeviceRecord record(AccountId account, int id) {
    return new DeviceRecord(
        new Address(account, new DeviceId(id)), 1000 + id, new byte[16], new byte[32], null, null);
  }

  private final CountingStore store = new CountingStore();
  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final CachingDeviceStore cached = new CachingDeviceStore(store, now::get);
  private final AccountId bob = AccountId.random();

  @Test
  void recentDevices_withinMaxAge_readsOnce_thenReadsAgainAfterIt() throws Exception {
    store.add(bob, null, 5);
    assertEquals(1, cached.recentDevices(bob).size());
    now.addAndGet((CachingDeviceStore.MAX_AGE_MILLIS - 1) * MS);
    store.add(bob, null, 5); // behind the cache's back, as another node would
    assertEquals(1, cached.recentDevices(bob).size(), "served from the cache");
    assertEquals(1, store.reads);
    now.addAndGet(2 * MS);
    assertEquals(2, cached.recentDevices(bob).size(), "too old: read again");
    assertEquals(2, store.reads);
  }

  @Test
  void addAndRemoveThroughTheCache_forgetTheAccountAtOnce() throws Exception {
    cached.add(bob, null, 5);
    assertEquals(1, cached.recentDevices(bob).size());
    cached.add(bob, null, 5);
    assertEquals(2, cached.recentDevices(bob).size());
    assertTrue(cached.remove(new Address(bob, new DeviceId(2))));
    assertEquals(1, cached.recentDevices(bob).size());
    assertEquals(3, store.reads);
  }

  @Test
  void devices_alwaysReads_andRefreshesTheCache() throws Exception {
    store.add(bob, null, 5);
    assertEquals(1, cached.recentDevices(bob).size());
    store.add(bob, null, 5);
    assertEquals(2, cached.devices(bob).size());
    assertEquals(2, cached.recentDevices(bob).size(), "the fresh read replaced the entry");
    assertEquals(2, store.reads);
  }

  @Test
  void recentDevices_unknownAccount_isNotCached() {
    assertEquals(List.of(), cached.recentDevices(bob));
    assertEquals(List.of(), cached.recentDevices(bob));
    assertEquals(2, store.reads, "an account without devices is read every time");
  }

  @Test
  void recentDevices_readOverlappingAnAdd_isNotRemembered() throws Exception {
    store.add(bob, null, 5);
    // Another thread links a device while this read is under way: the read saw one device.
    store.duringRead =
        () -> {
          try {
            cached.add(bob, null, 5);
          } catch (DeviceStore.TooManyDevicesException e) {
            throw new AssertionError(e);
          }
        };
    assertEquals(1, cached.recentDevices(bob).size());
    assertEquals(2, cached.recentDevices(bob).size(), "the stale read was not cached");
  }
}
