package org.sotto.server.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.proto.Envelope;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.MessageStore.Outgoing;
import org.sotto.server.store.NewDevice;
import org.sotto.server.store.QueuedEnvelope;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

class SqliteMessageStoreIntegrationTest {
  Path dir;
  SqliteDatabase db;
  SqliteMessageStore store;
  Address bob;
  Address carol;
  int guidCounter;

  @BeforeEach
  void open() throws Exception {
    dir = Files.createTempDirectory("sotto-message-store");
    db = SqliteDatabase.open(dir);
    store = new SqliteMessageStore(db);
    bob = account();
    carol = account();
  }

  @AfterEach
  void close() throws Exception {
    db.close();
    TestServer.deleteTree(dir);
  }

  private Address account() throws Exception {
    AccountId id = AccountId.parse(UUID.randomUUID().toString());
    TestDevice d = TestDevice.generate();
    new SqliteAccountStore(db)
        .create(
            new AccountRecord(id, null, d.identity.identityKey().serialize(), 1, 1),
            new NewDevice(new byte[16], new byte[32], d.deviceKeys()));
    return new Address(id, DeviceId.PRIMARY);
  }

  private Outgoing envelope(Address to, String text, long serverTs) {
    byte[] guid = new byte[16];
    guid[0] = (byte) ++guidCounter;
    guid[1] = (byte) (guidCounter >> 8);
    return new Outgoing(
        to,
        Envelope.newBuilder()
            .setGuid(ByteString.copyFrom(guid))
            .setType(Envelope.Type.CIPHERTEXT)
            .setSourceAccount(carol.account().toString())
            .setSourceDevice(1)
            .setDestinationDevice(to.device().value())
            .setClientTimestamp(7)
            .setServerTimestamp(serverTs)
            .setContent(ByteString.copyFromUtf8(text))
            .build());
  }

  private List<String> texts(Address device) {
    return store.fetch(device, 0, 1000).stream()
        .map(q -> q.envelope().getContent().toString(StandardCharsets.UTF_8))
        .toList();
  }

  @Test
  void insert_thenFetch_roundTripsEveryFieldInOrder() {
    Outgoing a = envelope(bob, "a", 100);
    List<QueuedEnvelope> stored = store.insert(List.of(a, envelope(bob, "b", 100)), 10).join();
    assertEquals(2, stored.size());
    List<QueuedEnvelope> fetched = store.fetch(bob, 0, 10);
    assertEquals(a.envelope(), fetched.get(0).envelope());
    assertEquals(stored.get(0).seq(), fetched.get(0).seq());
    assertEquals(
        List.of("b"),
        store.fetch(bob, fetched.get(0).seq(), 10).stream()
            .map(q -> q.envelope().getContent().toStringUtf8())
            .toList());
    assertEquals(2, store.depth());
  }

  @Test
  void insert_oneDestinationMissing_storesNothing() {
    Address ghost = new Address(bob.account(), new DeviceId(9));
    CompletableFuture<List<QueuedEnvelope>> f =
        store.insert(List.of(envelope(bob, "a", 1), envelope(ghost, "b", 1)), 10);
    assertThrows(RuntimeException.class, () -> SqliteDatabase.join(f));
    assertEquals(List.of(), texts(bob));
    assertEquals(0, store.depth());
  }

  @Test
  void insert_beyondMaxQueue_dropsOldestAndCountsThem() {
    for (int i = 0; i < 7; i++) {
      store.insert(List.of(envelope(bob, "m" + i, 1), envelope(carol, "c" + i, 1)), 4).join();
    }
    assertEquals(List.of("m3", "m4", "m5", "m6"), texts(bob));
    assertEquals(3, store.takeDropped(bob));
    assertEquals(0, store.takeDropped(bob));
    assertEquals(3, store.takeDropped(carol));
    assertEquals(8, store.depth());
  }

  @Test
  void delete_onlyThatDevicesGuids_returnsServerTimestampsOnce() {
    List<QueuedEnvelope> b = store.insert(List.of(envelope(bob, "b", 111)), 10).join();
    List<QueuedEnvelope> c = store.insert(List.of(envelope(carol, "c", 222)), 10).join();
    byte[] bobGuid = b.get(0).envelope().getGuid().toByteArray();
    byte[] carolGuid = c.get(0).envelope().getGuid().toByteArray();
    assertEquals(List.of(111L), store.delete(bob, List.of(bobGuid, carolGuid)).join());
    assertEquals(List.of(), store.delete(bob, List.of(bobGuid)).join());
    assertEquals(List.of(), texts(bob));
    assertEquals(List.of("c"), texts(carol));
    assertEquals(1, store.depth());
  }

  @Test
  void expire_deletesOlderThanCutoffAndCountsAsDropped() {
    store.insert(List.of(envelope(bob, "old", 10), envelope(carol, "old", 10)), 10).join();
    store.insert(List.of(envelope(bob, "new", 1000)), 10).join();
    assertEquals(2, store.expire(500));
    assertEquals(List.of("new"), texts(bob));
    assertEquals(List.of(), texts(carol));
    assertEquals(1, store.takeDropped(bob));
    assertEquals(1, store.takeDropped(carol));
    assertEquals(1, store.depth());
  }

  @Test
  void expire_moreThanOneBatch_deletesAll() {
    List<Outgoing> many = new ArrayList<>();
    for (int i = 0; i < SqliteMessageStore.EXPIRE_BATCH + 10; i++) {
      many.add(envelope(bob, "x", 5));
      if (many.size() == 500) {
        store.insert(many, Integer.MAX_VALUE).join();
        many.clear();
      }
    }
    store.insert(many, Integer.MAX_VALUE).join();
    assertEquals(SqliteMessageStore.EXPIRE_BATCH + 10, store.expire(6));
    assertEquals(0, store.depth());
    assertEquals(SqliteMessageStore.EXPIRE_BATCH + 10, store.takeDropped(bob));
  }

  @Test
  void depth_afterReopen_countsStoredEnvelopes() {
    store.insert(List.of(envelope(bob, "a", 1), envelope(carol, "b", 1)), 10).join();
    db.close();
    db = SqliteDatabase.open(dir);
    store = new SqliteMessageStore(db);
    assertEquals(2, store.depth());
  }

  @Test
  void insert_concurrent_allStoredInSeqOrder() throws Exception {
    List<CompletableFuture<List<QueuedEnvelope>>> futures = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int id = t;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 50; i++) {
                      synchronized (futures) {
                        futures.add(store.insert(List.of(envelope(bob, id + ":" + i, 1)), 1_000));
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    synchronized (futures) {
      for (var f : futures) {
        f.join();
      }
    }
    List<QueuedEnvelope> all = store.fetch(bob, 0, 1000);
    assertEquals(400, all.size());
    // Each sender's envelopes are queued in the order it sent them.
    int[] next = new int[8];
    for (QueuedEnvelope q : all) {
      String[] parts = q.envelope().getContent().toStringUtf8().split(":");
      int t = Integer.parseInt(parts[0]);
      assertEquals(next[t]++, Integer.parseInt(parts[1]));
    }
  }
}
