package org.sotto.server.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.sotto.api.AccountId;
import org.sotto.api.Address;

/**
 * A {@link DeviceStore} that remembers each account's device list for {@link #recentDevices} for at
 * most {@link #MAX_AGE_MILLIS}, so that a busy recipient's devices are read once per interval
 * instead of once per send (on PostgreSQL each read is a network round trip). {@link #devices}
 * always reads (and refreshes the cache); every other method goes to the underlying store; {@link
 * #add} and {@link #remove} through this store forget the account at once, and a change on another
 * node is seen within {@link #MAX_AGE_MILLIS}. Nothing is cached for an account without devices.
 * Thread-safe.
 */
public final class CachingDeviceStore implements DeviceStore {
  /**
   * Longest a remembered device list is used. A send checked against a list this old is still safe:
   * a device removed meanwhile fails the insert (its row is gone) and the send is checked again
   * against the database; a device linked meanwhile on another node misses at most this long of
   * sends, as a send racing the link would anyway.
   */
  public static final long MAX_AGE_MILLIS = 1_000;

  /**
   * Accounts remembered at most (memory bound): beyond it everything is dropped and read again on
   * demand.
   */
  static final int MAX_ACCOUNTS = 100_000;

  private record Entry(List<DeviceRecord> devices, long readAtNanos) {}

  private final DeviceStore store;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<AccountId, Entry> cache = new ConcurrentHashMap<>();

  /** Adds and removes through this store so far: a read that overlaps one is not remembered. */
  private final AtomicLong changes = new AtomicLong();

  /** Caches over {@code store}. */
  public CachingDeviceStore(DeviceStore store) {
    this(store, System::nanoTime);
  }

  /** Caches over {@code store} with a clock (tests). */
  CachingDeviceStore(DeviceStore store, LongSupplier nanoTime) {
    this.store = store;
    this.nanoTime = nanoTime;
  }

  @Override
  public List<DeviceRecord> recentDevices(AccountId account) {
    long now = nanoTime.getAsLong();
    Entry e = cache.get(account);
    if (e != null && now - e.readAtNanos() < MAX_AGE_MILLIS * 1_000_000L) {
      return e.devices();
    }
    return read(account, now);
  }

  /** Always read from the underlying store; the result also refreshes the cache. */
  @Override
  public List<DeviceRecord> devices(AccountId account) {
    return read(account, nanoTime.getAsLong());
  }

  private List<DeviceRecord> read(AccountId account, long now) {
    long before = changes.get();
    List<DeviceRecord> fresh = List.copyOf(store.devices(account));
    if (fresh.isEmpty()) {
      cache.remove(account);
    } else {
      if (cache.size() >= MAX_ACCOUNTS) {
        cache.clear();
      }
      cache.put(account, new Entry(fresh, now));
      if (changes.get() != before) {
        // An add or remove ran during the read: what was read may predate it.
        cache.remove(account);
      }
    }
    return fresh;
  }

  private void forget(AccountId account) {
    changes.incrementAndGet();
    cache.remove(account);
  }

  @Override
  public Optional<DeviceRecord> device(Address address) {
    return store.device(address);
  }

  @Override
  public DeviceRecord add(AccountId account, NewDevice device, int max)
      throws TooManyDevicesException {
    try {
      return store.add(account, device, max);
    } finally {
      forget(account);
    }
  }

  @Override
  public boolean remove(Address address) {
    try {
      return store.remove(address);
    } finally {
      forget(address.account());
    }
  }

  @Override
  public void addProvisioningCode(AccountId account, byte[] codeHash, long expiresMs) {
    store.addProvisioningCode(account, codeHash, expiresMs);
  }

  @Override
  public boolean consumeProvisioningCode(AccountId account, byte[] codeHash, long nowMs) {
    return store.consumeProvisioningCode(account, codeHash, nowMs);
  }
}
