package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.SessionBuilder;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.groups.GroupCipher;
import org.sotto.protocol.groups.GroupSessionBuilder;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.IdentityKeyStore.Direction;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyBundle;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.util.KeyHelper;

class SqliteProtocolStoreTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private final SecureRandom rng = new SecureRandom();
  @TempDir Path folder;

  /** One device: its address, its local store on disk, and the protocol store on top. */
  private final class Party {
    final String account;
    final ProtocolAddress address;
    LocalStore local;
    SqliteProtocolStore store;

    Party(String account) throws Exception {
      this.account = account;
      this.address = new ProtocolAddress(UUID.randomUUID().toString(), 1);
      local = LocalStore.create(folder, account, null, rng);
      store =
          SqliteProtocolStore.create(
              local, IdentityKeyPair.generate(rng), KeyHelper.generateRegistrationId(rng));
    }

    void reopen() throws Exception {
      local.close();
      local = LocalStore.open(folder, account, null, rng);
      store = SqliteProtocolStore.load(local).orElseThrow();
    }

    PreKeyBundle bundle(int id) {
      IdentityKeyPair identity = store.getIdentityKeyPair();
      SignedPreKeyRecord signed = KeyHelper.generateSignedPreKey(identity, id, NOW, rng);
      KyberPreKeyRecord kyber = KeyHelper.generateKyberPreKey(identity, id, false, NOW, rng);
      PreKeyRecord preKey = KeyHelper.generatePreKey(id, rng);
      store.storeSignedPreKey(id, signed);
      store.storeKyberPreKey(id, kyber);
      store.storePreKey(id, preKey);
      return new PreKeyBundle(
          store.getLocalRegistrationId(),
          address.deviceId(),
          id,
          preKey.keyPair().publicKey(),
          id,
          signed.keyPair().publicKey(),
          signed.signature(),
          id,
          kyber.keyPair().publicKey(),
          kyber.signature(),
          identity.identityKey());
    }

    CiphertextMessage encrypt(Party to, String text) throws Exception {
      return new SessionCipher(store, address, to.address)
          .encrypt(text.getBytes(StandardCharsets.UTF_8), NOW, rng);
    }

    String decrypt(Party from, int type, byte[] serialized) throws Exception {
      SessionCipher cipher = new SessionCipher(store, address, from.address);
      byte[] plaintext =
          type == CiphertextMessage.PREKEY_TYPE
              ? cipher.decrypt(PreKeySignalMessage.fromBytes(serialized), NOW, rng)
              : cipher.decrypt(SignalMessage.fromBytes(serialized), NOW, rng);
      return new String(plaintext, StandardCharsets.UTF_8);
    }

    String decrypt(Party from, CiphertextMessage m) throws Exception {
      return decrypt(from, m.type(), m.serialize());
    }
  }

  private Party alice;
  private Party bob;

  @AfterEach
  void closeStores() throws Exception {
    for (Party p : new Party[] {alice, bob}) {
      if (p != null) {
        p.local.close();
      }
    }
  }

  @Test
  void session_pqxdhAndRatchet_survivesReopenOfBothSides() throws Exception {
    alice = new Party("alice");
    bob = new Party("bob");
    new SessionBuilder(alice.store, bob.address).process(bob.bundle(7), NOW, rng);
    CiphertextMessage first = alice.encrypt(bob, "hello bob");
    assertEquals(CiphertextMessage.PREKEY_TYPE, first.type());

    alice.reopen();
    bob.reopen();
    assertEquals("hello bob", bob.decrypt(alice, first));
    assertFalse(bob.store.containsPreKey(7), "one-time prekey consumed");
    assertFalse(bob.store.containsKyberPreKey(7), "one-time Kyber prekey consumed");
    assertEquals(
        alice.store.getIdentityKeyPair().identityKey(), bob.store.getIdentity(alice.address));

    for (int i = 0; i < 20; i++) {
      if (i == 10) {
        alice.reopen();
        bob.reopen();
      }
      CiphertextMessage reply = bob.encrypt(alice, "reply " + i);
      assertEquals(CiphertextMessage.WHISPER_TYPE, reply.type());
      assertEquals("reply " + i, alice.decrypt(bob, reply));
      assertEquals("msg " + i, bob.decrypt(alice, alice.encrypt(bob, "msg " + i)));
    }
    assertTrue(alice.store.containsSession(bob.address));
    assertTrue(bob.store.containsSession(alice.address));
  }

  @Test
  void decrypt_tamperedMessage_leavesStoredSessionUnchanged() throws Exception {
    alice = new Party("alice");
    bob = new Party("bob");
    new SessionBuilder(alice.store, bob.address).process(bob.bundle(1), NOW, rng);
    bob.decrypt(alice, alice.encrypt(bob, "start"));
    alice.decrypt(bob, bob.encrypt(alice, "ack"));

    CiphertextMessage m = alice.encrypt(bob, "secret");
    byte[] tampered = m.serialize();
    tampered[tampered.length - 1] ^= 1;
    byte[] before = bob.store.loadSession(alice.address).serialize();
    assertThrows(
        InvalidMessageException.class,
        () -> bob.decrypt(alice, CiphertextMessage.WHISPER_TYPE, tampered));
    bob.reopen();
    assertArrayEquals(before, bob.store.loadSession(alice.address).serialize());
    assertEquals("secret", bob.decrypt(alice, m));
  }

  @Test
  void identity_persistsAndIsCreatedOnlyOnce() throws Exception {
    alice = new Party("alice");
    IdentityKeyPair identity = alice.store.getIdentityKeyPair();
    int registrationId = alice.store.getLocalRegistrationId();
    alice.reopen();
    assertArrayEquals(identity.serialize(), alice.store.getIdentityKeyPair().serialize());
    assertEquals(registrationId, alice.store.getLocalRegistrationId());
    assertThrows(
        StorageException.class,
        () -> SqliteProtocolStore.create(alice.local, IdentityKeyPair.generate(rng), 1));
    assertArrayEquals(
        identity.serialize(),
        SqliteProtocolStore.load(alice.local).orElseThrow().getIdentityKeyPair().serialize());
  }

  @Test
  void load_withoutIdentity_isEmpty() throws Exception {
    try (LocalStore local = LocalStore.create(folder, "empty", null, rng)) {
      assertTrue(SqliteProtocolStore.load(local).isEmpty());
    }
  }

  @Test
  void identities_trustOnFirstUse_asTheProtocolContractSays() throws Exception {
    alice = new Party("alice");
    ProtocolAddress carol = new ProtocolAddress("carol", 2);
    IdentityKey first = IdentityKeyPair.generate(rng).identityKey();
    IdentityKey second = IdentityKeyPair.generate(rng).identityKey();

    assertNull(alice.store.getIdentity(carol));
    assertTrue(alice.store.isTrustedIdentity(carol, first, Direction.SENDING), "first use");
    assertFalse(alice.store.saveIdentity(carol, first), "nothing replaced");
    assertFalse(alice.store.saveIdentity(carol, first), "same key again");
    assertTrue(alice.store.isTrustedIdentity(carol, first, Direction.RECEIVING));
    assertFalse(alice.store.isTrustedIdentity(carol, second, Direction.SENDING), "changed key");
    assertFalse(alice.store.isTrustedIdentity(carol, second, Direction.RECEIVING));

    alice.reopen();
    assertEquals(first, alice.store.getIdentity(carol));
    assertTrue(alice.store.saveIdentity(carol, second), "the user trusts the change");
    assertTrue(alice.store.isTrustedIdentity(carol, second, Direction.SENDING));
    assertFalse(alice.store.isTrustedIdentity(carol, first, Direction.SENDING));
    assertNull(alice.store.getIdentity(new ProtocolAddress("carol", 3)), "per device");
  }

  @Test
  void preKeys_storeLoadContainsRemove_andUnknownIdThrows() throws Exception {
    alice = new Party("alice");
    PreKeyRecord preKey = KeyHelper.generatePreKey(5, rng);
    alice.store.storePreKey(5, preKey);
    alice.reopen();
    assertTrue(alice.store.containsPreKey(5));
    assertArrayEquals(preKey.serialize(), alice.store.loadPreKey(5).serialize());
    alice.store.removePreKey(5);
    assertFalse(alice.store.containsPreKey(5));
    assertThrows(InvalidKeyException.class, () -> alice.store.loadPreKey(5));
  }

  @Test
  void signedPreKeys_listAndRemove() throws Exception {
    alice = new Party("alice");
    IdentityKeyPair id = alice.store.getIdentityKeyPair();
    SignedPreKeyRecord one = KeyHelper.generateSignedPreKey(id, 1, NOW, rng);
    SignedPreKeyRecord two = KeyHelper.generateSignedPreKey(id, 2, NOW, rng);
    alice.store.storeSignedPreKey(1, one);
    alice.store.storeSignedPreKey(2, two);
    alice.reopen();
    List<SignedPreKeyRecord> all = alice.store.loadSignedPreKeys();
    assertEquals(2, all.size());
    assertArrayEquals(one.serialize(), all.get(0).serialize());
    assertArrayEquals(two.serialize(), alice.store.loadSignedPreKey(2).serialize());
    alice.store.removeSignedPreKey(1);
    assertFalse(alice.store.containsSignedPreKey(1));
    assertTrue(alice.store.containsSignedPreKey(2));
    assertThrows(InvalidKeyException.class, () -> alice.store.loadSignedPreKey(1));
  }

  @Test
  void kyberPreKeys_markUsed_deletesOneTimeKeepsLastResort() throws Exception {
    alice = new Party("alice");
    IdentityKeyPair id = alice.store.getIdentityKeyPair();
    alice.store.storeKyberPreKey(1, KeyHelper.generateKyberPreKey(id, 1, false, NOW, rng));
    alice.store.storeKyberPreKey(2, KeyHelper.generateKyberPreKey(id, 2, true, NOW, rng));
    assertEquals(2, alice.store.loadKyberPreKeys().size());
    alice.store.markKyberPreKeyUsed(1);
    alice.store.markKyberPreKeyUsed(2);
    alice.store.markKyberPreKeyUsed(3);
    assertFalse(alice.store.containsKyberPreKey(1));
    assertTrue(alice.store.containsKyberPreKey(2));
    assertTrue(alice.store.loadKyberPreKey(2).lastResort());
    assertThrows(InvalidKeyException.class, () -> alice.store.loadKyberPreKey(1));
  }

  @Test
  void sessions_subDevicesAndDeletion() throws Exception {
    alice = new Party("alice");
    bob = new Party("bob");
    String name = bob.address.name();
    for (int device : new int[] {1, 2, 3}) {
      new SessionBuilder(alice.store, new ProtocolAddress(name, device))
          .process(bob.bundle(device), NOW, rng);
    }
    assertEquals(List.of(2, 3), alice.store.getSubDeviceSessions(name));
    alice.store.deleteSession(new ProtocolAddress(name, 2));
    assertEquals(List.of(3), alice.store.getSubDeviceSessions(name));
    assertTrue(alice.store.containsSession(new ProtocolAddress(name, 1)));
    alice.store.deleteAllSessions(name);
    assertFalse(alice.store.containsSession(new ProtocolAddress(name, 1)));
    assertNull(alice.store.loadSession(new ProtocolAddress(name, 3)));
  }

  @Test
  void senderKeys_groupMessageAfterReopen_decrypts() throws Exception {
    alice = new Party("alice");
    bob = new Party("bob");
    UUID group = UUID.randomUUID();
    var distribution = new GroupSessionBuilder(alice.store).create(alice.address, group, rng);
    new GroupSessionBuilder(bob.store).process(alice.address, distribution);
    alice.reopen();
    bob.reopen();
    var message =
        new GroupCipher(alice.store)
            .encrypt(alice.address, group, "to the group".getBytes(StandardCharsets.UTF_8), rng);
    assertNotNull(bob.store.loadSenderKey(alice.address, group));
    assertNull(bob.store.loadSenderKey(alice.address, UUID.randomUUID()));
    assertEquals(
        "to the group",
        new String(
            new GroupCipher(bob.store).decrypt(alice.address, message.serialize()),
            StandardCharsets.UTF_8));
  }

  @Test
  void sessionRecordCopiedToAnotherAddress_failsAsCorrupt() throws Exception {
    alice = new Party("alice");
    bob = new Party("bob");
    ProtocolAddress one = new ProtocolAddress(bob.address.name(), 1);
    ProtocolAddress two = new ProtocolAddress(bob.address.name(), 2);
    new SessionBuilder(alice.store, one).process(bob.bundle(1), NOW, rng);
    new SessionBuilder(alice.store, two).process(bob.bundle(2), NOW, rng);
    alice.local.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("alice.db"));
        Statement st = c.createStatement()) {
      int changed =
          st.executeUpdate(
              "UPDATE sessions SET record_enc = (SELECT record_enc FROM sessions WHERE device_id = 1)"
                  + " WHERE device_id = 2");
      assertEquals(1, changed);
    }
    alice.local = LocalStore.open(folder, "alice", null, rng);
    alice.store = SqliteProtocolStore.load(alice.local).orElseThrow();
    assertNotNull(alice.store.loadSession(one));
    UncheckedStorageException e =
        assertThrows(UncheckedStorageException.class, () -> alice.store.loadSession(two));
    assertInstanceOf(CorruptStoreException.class, e.getCause());
  }

  @Test
  void atomically_decryptAndStoreThenFailure_rollsBackEverything() throws Exception {
    alice = new Party("alice");
    bob = new Party("bob");
    new SessionBuilder(alice.store, bob.address).process(bob.bundle(3), NOW, rng);
    CiphertextMessage first = alice.encrypt(bob, "hello");
    UUID guid = UUID.randomUUID();
    Instant t = NOW;

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                bob.local.atomically(
                    () -> {
                      String text = bob.decrypt(alice, first);
                      bob.local
                          .history()
                          .add(
                              new StoredMessage(
                                  guid,
                                  "alice",
                                  "alice",
                                  1,
                                  t,
                                  t,
                                  text.getBytes(StandardCharsets.UTF_8)));
                      throw new IllegalStateException("ack failed");
                    }));
    assertEquals("ack failed", e.getMessage());
    assertNull(bob.store.loadSession(alice.address), "session not committed");
    assertTrue(bob.store.containsPreKey(3), "prekey not consumed");
    assertFalse(bob.local.history().hasSeen(guid), "message not stored");

    String text =
        bob.local.atomically(
            () -> {
              String plain = bob.decrypt(alice, first);
              bob.local
                  .history()
                  .add(
                      new StoredMessage(
                          guid, "alice", "alice", 1, t, t, plain.getBytes(StandardCharsets.UTF_8)));
              return plain;
            });
    assertEquals("hello", text);
    bob.reopen();
    assertTrue(bob.store.containsSession(alice.address));
    assertFalse(bob.store.containsPreKey(3));
    assertTrue(bob.local.history().hasSeen(guid));
  }

  @Test
  void loadSession_afterRolledBackUnitAdvancedIt_returnsCommittedRecord() throws Exception {
    alice = new Party("alice");
    bob = new Party("bob");
    new SessionBuilder(alice.store, bob.address).process(bob.bundle(4), NOW, rng);
    byte[] committed = alice.store.loadSession(bob.address).serialize();

    assertThrows(
        IllegalStateException.class,
        () ->
            alice.local.atomically(
                () -> {
                  alice.encrypt(bob, "never sent");
                  throw new IllegalStateException("send failed");
                }));

    assertArrayEquals(committed, alice.store.loadSession(bob.address).serialize());
    alice.reopen();
    assertArrayEquals(committed, alice.store.loadSession(bob.address).serialize());
  }

  @Test
  void loadSession_repeated_isServedFromCacheAndEqualsStored() throws Exception {
    alice = new Party("alice");
    bob = new Party("bob");
    new SessionBuilder(alice.store, bob.address).process(bob.bundle(5), NOW, rng);
    alice.encrypt(bob, "one");
    byte[] stored = alice.store.loadSession(bob.address).serialize();
    assertTrue(alice.local.records().size() > 0, "the session was cached");
    assertArrayEquals(stored, alice.store.loadSession(bob.address).serialize());
    alice.reopen();
    assertEquals(0, alice.local.records().size(), "a reopened store starts empty");
    assertArrayEquals(stored, alice.store.loadSession(bob.address).serialize());
  }

  @Test
  void saveIdentity_unchangedKey_writesNothing() throws Exception {
    alice = new Party("alice");
    IdentityKey key = IdentityKeyPair.generate(rng).identityKey();
    ProtocolAddress peer = new ProtocolAddress(UUID.randomUUID().toString(), 1);
    assertFalse(alice.store.saveIdentity(peer, key), "first save replaces nothing");
    alice.local.pendingCommit().join();

    // Hold commits back: a unit that wrote a row would leave its commit pending.
    CountDownLatch gate = new CountDownLatch(1);
    alice.local.commitGateForTest = gate;
    try {
      LocalStore.Staged<Boolean> again =
          alice.local.atomicallyDeferred(() -> alice.store.saveIdentity(peer, key));
      assertFalse(again.value(), "the same key replaces nothing");
      assertTrue(again.durable().isDone(), "nothing was written, so nothing waits for a commit");

      IdentityKey changed = IdentityKeyPair.generate(rng).identityKey();
      LocalStore.Staged<Boolean> replaced =
          alice.local.atomicallyDeferred(() -> alice.store.saveIdentity(peer, changed));
      assertTrue(replaced.value(), "a new key replaces the old one");
      assertFalse(replaced.durable().isDone(), "the new key waits for the held-back commit");
    } finally {
      gate.countDown();
      alice.local.commitGateForTest = null;
    }
    alice.reopen();
    assertFalse(alice.store.isTrustedIdentity(peer, key, Direction.SENDING));
  }
}
