package org.sotto.server.store.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.api.proto.Envelope;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.AccountStore.HandleTakenException;
import org.sotto.server.store.AttachmentRecord;
import org.sotto.server.store.DeviceRecord;
import org.sotto.server.store.DeviceStore.TooManyDevicesException;
import org.sotto.server.store.KeyStore.TakenKeys;
import org.sotto.server.store.MessageStore.Outgoing;
import org.sotto.server.store.NewDevice;
import org.sotto.server.store.QueuedEnvelope;
import org.sotto.server.store.StoreException;
import org.sotto.server.store.Stores;
import org.sotto.server.testing.TestDevice;

/**
 * The behaviour every store implementation must have, run against each backend by a concrete
 * subclass. One set of stores serves the whole class, so tests use fresh random accounts and
 * measure global values (depth, dropped total, expiry) as differences or with timestamps no other
 * test uses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreContract {
  /** Server timestamps of ordinary test envelopes: far above any expiry cutoff used here. */
  private static final long NOW = 1_800_000_000_000L;

  private Stores stores;
  private final AtomicInteger guids = new AtomicInteger();

  /** Opens the stores under test over a fresh, empty database. */
  protected abstract Stores openStores() throws Exception;

  /** Releases what {@link #openStores} made (after the stores are closed). */
  protected void cleanUp() throws Exception {}

  @BeforeAll
  final void openAll() throws Exception {
    stores = openStores();
  }

  @AfterAll
  final void closeAll() throws Exception {
    if (stores != null) {
      stores.close();
    }
    cleanUp();
  }

  // ---- fixtures ----

  private record Account(AccountId id, TestDevice device, Address primary) {}

  private Account account(String handle) throws Exception {
    AccountId id = AccountId.parse(UUID.randomUUID().toString());
    TestDevice d = TestDevice.generate();
    stores
        .accounts()
        .create(
            new AccountRecord(id, handle, d.identity.identityKey().serialize(), 10, 10),
            newDevice(d));
    return new Account(id, d, new Address(id, DeviceId.PRIMARY));
  }

  private static NewDevice newDevice(TestDevice d) {
    return new NewDevice(new byte[16], new byte[32], d.deviceKeys(), new byte[] {9, 9});
  }

  /** A well-formed Curve25519 public key (type byte 0x05 and 32 bytes); stores never check more. */
  private static byte[] ecKey() {
    byte[] k = new byte[33];
    k[0] = 5;
    k[1] = (byte) EC_KEYS.incrementAndGet();
    return k;
  }

  private static final AtomicInteger EC_KEYS = new AtomicInteger();

  private static String handle() {
    return "h" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private Outgoing envelope(Address to, String text, long serverTs) {
    int n = guids.incrementAndGet();
    byte[] guid = ByteBuffer.allocate(16).putLong(System.nanoTime()).putInt(n).array();
    return envelope(to, text, serverTs, guid);
  }

  private static Outgoing envelope(Address to, String text, long serverTs, byte[] guid) {
    return new Outgoing(
        to,
        Envelope.newBuilder()
            .setGuid(ByteString.copyFrom(guid))
            .setType(Envelope.Type.CIPHERTEXT)
            .setSourceAccount(UUID.randomUUID().toString())
            .setSourceDevice(3)
            .setDestinationDevice(to.device().value())
            .setClientTimestamp(7)
            .setServerTimestamp(serverTs)
            .setContent(ByteString.copyFromUtf8(text))
            .build());
  }

  private List<String> texts(Address device) {
    return stores.messages().fetch(device, 0, 10_000).stream()
        .map(q -> q.envelope().getContent().toString(StandardCharsets.UTF_8))
        .toList();
  }

  private static byte[] guid(Outgoing o) {
    return o.envelope().getGuid().toByteArray();
  }

  // ---- accounts ----

  @Test
  void accountCreate_thenFind_returnsRecordAndFirstDeviceWithKeys() throws Exception {
    String h = handle();
    Account a = account(h);
    AccountRecord r = stores.accounts().find(a.id()).orElseThrow();
    assertEquals(h, r.handle());
    assertArrayEquals(a.device().identity.identityKey().serialize(), r.identityKey());
    assertEquals(10, r.createdDay());
    assertEquals(Optional.of(a.id()), stores.accounts().findByHandle(h));
    List<DeviceRecord> devices = stores.devices().devices(a.id());
    assertEquals(1, devices.size());
    assertEquals(a.primary(), devices.get(0).address());
    assertEquals(a.device().registrationId, devices.get(0).registrationId());
    assertArrayEquals(new byte[] {9, 9}, devices.get(0).name());
    assertEquals(TestDevice.ONE_TIME_KEYS, stores.keys().count(a.primary()).ecCount());
    assertEquals(TestDevice.ONE_TIME_KEYS, stores.keys().count(a.primary()).kyberCount());
  }

  @Test
  void accountCreate_handleTaken_throwsAndStoresNothing() throws Exception {
    String h = handle();
    account(h);
    AccountId other = AccountId.parse(UUID.randomUUID().toString());
    TestDevice d = TestDevice.generate();
    assertThrows(
        HandleTakenException.class,
        () ->
            stores
                .accounts()
                .create(
                    new AccountRecord(other, h, d.identity.identityKey().serialize(), 1, 1),
                    newDevice(d)));
    assertTrue(stores.accounts().find(other).isEmpty());
    assertEquals(List.of(), stores.devices().devices(other));
  }

  @Test
  void setHandle_takenByOther_throws_ownHandleAgain_succeeds_clear_freesIt() throws Exception {
    String h = handle();
    Account a = account(h);
    Account b = account(null);
    assertThrows(HandleTakenException.class, () -> stores.accounts().setHandle(b.id(), h));
    stores.accounts().setHandle(a.id(), h);
    assertEquals(Optional.of(a.id()), stores.accounts().findByHandle(h));
    stores.accounts().clearHandle(a.id());
    assertTrue(stores.accounts().findByHandle(h).isEmpty());
    assertNull(stores.accounts().find(a.id()).orElseThrow().handle());
    stores.accounts().setHandle(b.id(), h);
    assertEquals(Optional.of(b.id()), stores.accounts().findByHandle(h));
  }

  @Test
  void touch_laterDay_updatesLastSeen_earlierDay_isIgnored() throws Exception {
    Account a = account(null);
    stores.accounts().touch(a.id(), 12);
    stores.accounts().touch(a.id(), 11);
    // SQLite applies touches asynchronously: wait (bounded) for the later day to appear.
    long deadline = System.nanoTime() + 5_000_000_000L;
    long seen;
    do {
      seen = stores.accounts().find(a.id()).orElseThrow().lastSeenDay();
    } while (seen != 12 && System.nanoTime() < deadline);
    assertEquals(12, seen);
    assertEquals(10, stores.accounts().find(a.id()).orElseThrow().createdDay());
  }

  @Test
  void profile_setThenRead_returnsBlobAndAccessKey_unsetIsEmpty() throws Exception {
    Account a = account(null);
    assertTrue(stores.accounts().profile(a.id()).isEmpty());
    assertTrue(stores.accounts().unidentifiedAccessKey(a.id()).isEmpty());
    stores.accounts().setProfile(a.id(), new byte[] {1, 2}, new byte[] {3});
    assertArrayEquals(new byte[] {1, 2}, stores.accounts().profile(a.id()).orElseThrow());
    assertArrayEquals(
        new byte[] {3}, stores.accounts().unidentifiedAccessKey(a.id()).orElseThrow());
  }

  @Test
  void accountDelete_removesDevicesKeysQueuesProfileAndCodes() throws Exception {
    Account a = account(handle());
    DeviceRecord second = stores.devices().add(a.id(), newDevice(TestDevice.generate()), 5);
    stores.accounts().setProfile(a.id(), new byte[] {1}, new byte[] {2});
    stores.messages().insert(List.of(envelope(a.primary(), "x", NOW)), 100).join();
    byte[] code = {4, 4, 4};
    stores.devices().addProvisioningCode(a.id(), code, Long.MAX_VALUE);
    stores.messages().expire(0); // resynchronises SQLite's depth counter (see below)
    long depth = stores.messages().depth();
    stores.accounts().delete(a.id());
    assertTrue(stores.accounts().find(a.id()).isEmpty());
    assertTrue(stores.accounts().profile(a.id()).isEmpty());
    assertEquals(List.of(), stores.devices().devices(a.id()));
    assertEquals(0, stores.keys().count(second.address()).ecCount());
    assertTrue(stores.keys().take(a.primary()).isEmpty());
    assertEquals(List.of(), texts(a.primary()));
    assertFalse(stores.devices().consumeProvisioningCode(a.id(), code, 0));
    // Depth counts what is really queued; SQLite corrects its counter at the next expiry run.
    stores.messages().expire(0);
    assertEquals(depth - 1, stores.messages().depth());
  }

  // ---- devices ----

  @Test
  void deviceAdd_takesLowestFreeId_andStopsAtMax() throws Exception {
    Account a = account(null);
    DeviceRecord d2 = stores.devices().add(a.id(), newDevice(TestDevice.generate()), 3);
    DeviceRecord d3 = stores.devices().add(a.id(), newDevice(TestDevice.generate()), 3);
    assertEquals(2, d2.address().device().value());
    assertEquals(3, d3.address().device().value());
    assertThrows(
        TooManyDevicesException.class,
        () -> stores.devices().add(a.id(), newDevice(TestDevice.generate()), 3));
    assertTrue(stores.devices().remove(d2.address()));
    assertFalse(stores.devices().remove(d2.address()));
    assertTrue(stores.devices().device(d2.address()).isEmpty());
    DeviceRecord again = stores.devices().add(a.id(), newDevice(TestDevice.generate()), 3);
    assertEquals(2, again.address().device().value());
    assertEquals(3, stores.devices().devices(a.id()).size());
  }

  @Test
  void deviceAdd_unknownAccount_throwsIllegalState() {
    AccountId ghost = AccountId.parse(UUID.randomUUID().toString());
    assertThrows(
        IllegalStateException.class,
        () -> stores.devices().add(ghost, newDevice(TestDevice.generate()), 5));
  }

  @Test
  void deviceRemove_dropsItsKeysAndQueue() throws Exception {
    Account a = account(null);
    DeviceRecord d2 = stores.devices().add(a.id(), newDevice(TestDevice.generate()), 5);
    stores.messages().insert(List.of(envelope(d2.address(), "x", NOW)), 100).join();
    assertTrue(stores.devices().remove(d2.address()));
    assertEquals(0, stores.keys().count(d2.address()).ecCount());
    assertEquals(List.of(), texts(d2.address()));
  }

  @Test
  void provisioningCode_consumedOnce_notByOtherAccount_notWhenExpired() throws Exception {
    Account a = account(null);
    Account b = account(null);
    byte[] code = {1, 2, 3, 4};
    byte[] old = {5, 6, 7, 8};
    stores.devices().addProvisioningCode(a.id(), code, 1_000);
    stores.devices().addProvisioningCode(a.id(), old, 1_000);
    assertFalse(stores.devices().consumeProvisioningCode(b.id(), code, 500));
    assertTrue(stores.devices().consumeProvisioningCode(a.id(), code, 500));
    assertFalse(stores.devices().consumeProvisioningCode(a.id(), code, 500));
    assertFalse(stores.devices().consumeProvisioningCode(a.id(), old, 2_000));
  }

  // ---- keys ----

  @Test
  void keyUpload_replacesSignedAndLastResort_addsOneTimeKeys() throws Exception {
    Account a = account(null);
    TestDevice keys = TestDevice.generate();
    KyberPreKey kyber = TestDevice.kyber(keys.lastResort);
    SignedPreKey signed = new SignedPreKey(77, ecKey(), new byte[64]);
    KyberPreKey lastResort = new KyberPreKey(78, kyber.publicKey(), kyber.signature());
    stores
        .keys()
        .upload(
            a.primary(),
            List.of(new PreKey(1000, ecKey()), new PreKey(1001, ecKey())),
            List.of(new KyberPreKey(2000, kyber.publicKey(), kyber.signature())),
            signed,
            lastResort);
    DeviceRecord d = stores.devices().device(a.primary()).orElseThrow();
    assertEquals(77, d.signedPreKey().keyId());
    assertEquals(78, d.lastResortKyberPreKey().keyId());
    assertEquals(TestDevice.ONE_TIME_KEYS + 2, stores.keys().count(a.primary()).ecCount());
    assertEquals(TestDevice.ONE_TIME_KEYS + 1, stores.keys().count(a.primary()).kyberCount());
    // Same id again replaces rather than adds; null signed keys leave the old ones.
    stores.keys().upload(a.primary(), List.of(new PreKey(1000, ecKey())), List.of(), null, null);
    assertEquals(TestDevice.ONE_TIME_KEYS + 2, stores.keys().count(a.primary()).ecCount());
    assertEquals(77, stores.devices().device(a.primary()).orElseThrow().signedPreKey().keyId());
  }

  @Test
  void keyTake_consumesEachKeyOnce_thenLastResortKyberAndNoEcKey() throws Exception {
    Account a = account(null);
    Set<Integer> ec = new HashSet<>();
    Set<Integer> kyber = new HashSet<>();
    for (int i = 0; i < TestDevice.ONE_TIME_KEYS; i++) {
      TakenKeys t = stores.keys().take(a.primary()).orElseThrow();
      assertNotNull(t.preKey());
      assertTrue(ec.add(t.preKey().keyId()));
      assertTrue(kyber.add(t.kyberPreKey().keyId()));
    }
    TakenKeys last = stores.keys().take(a.primary()).orElseThrow();
    assertNull(last.preKey());
    assertEquals(a.device().lastResort.id(), last.kyberPreKey().keyId());
    assertEquals(0, stores.keys().count(a.primary()).ecCount());
  }

  @Test
  void keyTake_unknownDevice_isEmpty() {
    Address ghost = new Address(AccountId.parse(UUID.randomUUID().toString()), DeviceId.PRIMARY);
    assertTrue(stores.keys().take(ghost).isEmpty());
  }

  @Test
  void keyTake_eightConcurrentClaimers_eachOneTimeKeyGoesToExactlyOne() throws Exception {
    Account a = account(null);
    int keys = 20;
    List<PreKey> pre = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      pre.add(new PreKey(5000 + i, ecKey()));
    }
    stores.keys().upload(a.primary(), pre, List.of(), null, null);
    int total = keys + TestDevice.ONE_TIME_KEYS;
    int claimers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Integer>>> results = new ArrayList<>();
    for (int c = 0; c < claimers; c++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                List<Integer> mine = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                  PreKey k = stores.keys().take(a.primary()).orElseThrow().preKey();
                  if (k != null) {
                    mine.add(k.keyId());
                  }
                }
                return mine;
              }));
    }
    go.countDown();
    List<Integer> all = new ArrayList<>();
    for (Future<List<Integer>> f : results) {
      all.addAll(f.get());
    }
    pool.shutdown();
    assertEquals(total, all.size(), "every key handed out");
    assertEquals(total, new HashSet<>(all).size(), "no key handed out twice");
    assertEquals(0, stores.keys().count(a.primary()).ecCount());
  }

  // ---- invites ----

  @Test
  void invite_consumedExactlyOnce_unknownRefused() {
    byte[] code = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    assertFalse(stores.invites().consume(code));
    stores.invites().add(code, 1);
    assertTrue(stores.invites().consume(code));
    assertFalse(stores.invites().consume(code));
  }

  // ---- messages ----

  @Test
  void messageInsert_thenFetch_roundTripsFieldsInOrder_andPagesAfterSeq() throws Exception {
    Account a = account(null);
    Outgoing first = envelope(a.primary(), "a", NOW);
    List<QueuedEnvelope> stored =
        stores
            .messages()
            .insert(
                List.of(
                    first, envelope(a.primary(), "b", NOW + 1), envelope(a.primary(), "c", NOW)),
                100)
            .join();
    assertEquals(3, stored.size());
    assertTrue(stored.get(0).seq() < stored.get(1).seq());
    assertTrue(stored.get(1).seq() < stored.get(2).seq());
    List<QueuedEnvelope> page = stores.messages().fetch(a.primary(), 0, 2);
    assertEquals(2, page.size());
    assertEquals(first.envelope(), page.get(0).envelope());
    assertEquals(stored.get(0).seq(), page.get(0).seq());
    List<QueuedEnvelope> rest = stores.messages().fetch(a.primary(), page.get(1).seq(), 10);
    assertEquals(
        List.of("c"), rest.stream().map(q -> q.envelope().getContent().toStringUtf8()).toList());
    assertEquals(List.of(), stores.messages().fetch(a.primary(), 0, 0));
  }

  @Test
  void messageFetch_manyConcurrentReaders_eachGetsExactlyItsOwnPage() throws Exception {
    int devices = 40;
    List<Account> accounts = new ArrayList<>();
    List<List<QueuedEnvelope>> stored = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      Account a = account(null);
      accounts.add(a);
      List<Outgoing> batch = new ArrayList<>();
      for (int j = 0; j <= i % 5; j++) {
        batch.add(envelope(a.primary(), a.id() + "/" + j, NOW + j));
      }
      stored.add(stores.messages().insert(batch, 100).join());
    }
    // Readers start together, so a grouping store answers many in one statement.
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(devices);
    try {
      List<Future<List<QueuedEnvelope>>> pages = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        int k = i;
        pages.add(
            pool.submit(
                () -> {
                  go.await();
                  // Odd readers skip their first envelope and ask for at most 2 of the rest.
                  long after = k % 2 == 0 ? 0 : stored.get(k).get(0).seq();
                  return stores.messages().fetch(accounts.get(k).primary(), after, 2);
                }));
      }
      go.countDown();
      for (int i = 0; i < devices; i++) {
        List<QueuedEnvelope> mine = stored.get(i);
        List<QueuedEnvelope> expected =
            mine.subList(i % 2 == 0 ? 0 : 1, Math.min(mine.size(), i % 2 == 0 ? 2 : 3));
        List<QueuedEnvelope> got = pages.get(i).get();
        assertEquals(
            expected.stream().map(QueuedEnvelope::seq).toList(),
            got.stream().map(QueuedEnvelope::seq).toList(),
            "device " + i);
        for (int j = 0; j < got.size(); j++) {
          assertEquals(expected.get(j).envelope(), got.get(j).envelope());
          assertEquals(accounts.get(i).primary(), got.get(j).destination());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void messageInsert_oneDestinationGone_storesNoneOfTheSend() throws Exception {
    Account a = account(null);
    Address gone = new Address(a.id(), new DeviceId(9));
    CompletableFuture<List<QueuedEnvelope>> f =
        stores
            .messages()
            .insert(List.of(envelope(a.primary(), "x", NOW), envelope(gone, "y", NOW)), 100);
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertTrue(e.getCause() instanceof StoreException, e.getCause().toString());
    assertEquals(List.of(), texts(a.primary()));
  }

  @Test
  void messageInsert_duplicateGuidAmongConcurrentSends_failsOnlyThatSend() throws Exception {
    Account a = account(null);
    byte[] dup = UUID.randomUUID().toString().substring(0, 16).getBytes(StandardCharsets.UTF_8);
    stores.messages().insert(List.of(envelope(a.primary(), "orig", NOW, dup)), 1000).join();
    List<CompletableFuture<List<QueuedEnvelope>>> sends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Outgoing o =
          i == 25 ? envelope(a.primary(), "dup", NOW, dup) : envelope(a.primary(), "m" + i, NOW);
      sends.add(stores.messages().insert(List.of(o), 1000));
    }
    int failed = 0;
    for (int i = 0; i < sends.size(); i++) {
      try {
        sends.get(i).join();
      } catch (CompletionException e) {
        assertEquals(25, i);
        assertTrue(e.getCause() instanceof StoreException);
        failed++;
      }
    }
    assertEquals(1, failed);
    assertEquals(50, texts(a.primary()).size());
  }

  @Test
  void messageInsert_concurrentSends_allStoredWithDistinctIncreasingSeqs() throws Exception {
    Account a = account(null);
    Account b = account(null);
    List<CompletableFuture<List<QueuedEnvelope>>> sends = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sends.add(
          stores
              .messages()
              .insert(
                  List.of(envelope(a.primary(), "m" + i, NOW), envelope(b.primary(), "m", NOW)),
                  1000));
    }
    Set<Long> seqs = new HashSet<>();
    for (CompletableFuture<List<QueuedEnvelope>> f : sends) {
      for (QueuedEnvelope q : f.join()) {
        assertTrue(seqs.add(q.seq()));
      }
    }
    List<QueuedEnvelope> queue = stores.messages().fetch(a.primary(), 0, 1000);
    assertEquals(300, queue.size());
    for (int i = 1; i < queue.size(); i++) {
      assertTrue(queue.get(i - 1).seq() < queue.get(i).seq());
    }
  }

  @Test
  void messageInsert_overQueueLimit_dropsOldest_andTakeDroppedCountsThemOnce() throws Exception {
    Account a = account(null);
    long droppedBefore = stores.messages().droppedTotal();
    for (int i = 0; i < 5; i++) {
      stores.messages().insert(List.of(envelope(a.primary(), "m" + i, NOW)), 3).join();
    }
    assertEquals(List.of("m2", "m3", "m4"), texts(a.primary()));
    assertEquals(droppedBefore + 2, stores.messages().droppedTotal());
    assertEquals(2, stores.messages().takeDropped(a.primary()));
    assertEquals(0, stores.messages().takeDropped(a.primary()));
  }

  @Test
  void messageDelete_returnsTimestampsOnlyOnce_ignoresOtherDevicesGuids() throws Exception {
    Account a = account(null);
    Account b = account(null);
    Outgoing x = envelope(a.primary(), "x", NOW + 5);
    Outgoing y = envelope(b.primary(), "y", NOW + 6);
    stores.messages().insert(List.of(x, y), 100).join();
    long depth = stores.messages().depth();
    assertEquals(List.of(), stores.messages().delete(a.primary(), List.of(guid(y))).join());
    assertEquals(List.of(NOW + 5), stores.messages().delete(a.primary(), List.of(guid(x))).join());
    assertEquals(List.of(), stores.messages().delete(a.primary(), List.of(guid(x))).join());
    assertEquals(List.of("y"), texts(b.primary()));
    assertEquals(depth - 1, stores.messages().depth());
    assertEquals(List.of(), stores.messages().delete(a.primary(), List.of()).join());
  }

  @Test
  void messageExpire_deletesOnlyOlderThanCutoff_andCountsThemDropped() throws Exception {
    Account a = account(null);
    stores
        .messages()
        .insert(
            List.of(
                envelope(a.primary(), "old1", 1_000),
                envelope(a.primary(), "old2", 1_500),
                envelope(a.primary(), "new", 5_000)),
            100)
        .join();
    long dropped = stores.messages().droppedTotal();
    long depth = stores.messages().depth();
    assertEquals(2, stores.messages().expire(2_000));
    assertEquals(List.of("new"), texts(a.primary()));
    assertEquals(dropped + 2, stores.messages().droppedTotal());
    assertEquals(depth - 2, stores.messages().depth());
    assertEquals(2, stores.messages().takeDropped(a.primary()));
    assertEquals(0, stores.messages().expire(2_000));
  }

  @Test
  void messageDepth_followsInsertsAndAcks() throws Exception {
    Account a = account(null);
    long before = stores.messages().depth();
    Outgoing x = envelope(a.primary(), "x", NOW);
    stores.messages().insert(List.of(x, envelope(a.primary(), "y", NOW)), 100).join();
    assertEquals(before + 2, stores.messages().depth());
    assertEquals(before + 2, stores.queueDepth().getAsLong());
    stores.messages().delete(a.primary(), List.of(guid(x))).join();
    assertEquals(before + 1, stores.messages().depth());
  }

  // ---- attachments ----

  @Test
  void attachments_createFindReceiveListDelete() {
    String id = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    stores.attachments().create(new AttachmentRecord(id, 100, 0, 50));
    stores.attachments().create(new AttachmentRecord(other, 10, 0, 60));
    assertEquals(new AttachmentRecord(id, 100, 0, 50), stores.attachments().find(id).orElseThrow());
    stores.attachments().setReceived(id, 100);
    assertTrue(stores.attachments().find(id).orElseThrow().complete());
    assertEquals(List.of(id), stores.attachments().createdBefore(55, 10));
    assertEquals(List.of(id, other), stores.attachments().createdBefore(61, 10));
    assertEquals(List.of(id), stores.attachments().createdBefore(61, 1));
    stores.attachments().delete(List.of(id, other));
    assertTrue(stores.attachments().find(id).isEmpty());
    assertTrue(stores.attachments().find(other).isEmpty());
  }
}
