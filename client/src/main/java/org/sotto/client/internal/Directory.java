package org.sotto.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.sotto.api.AccountId;
import org.sotto.client.ContactInfo;
import org.sotto.client.IdentityInfo;
import org.sotto.client.SottoException;
import org.sotto.client.storage.Contact;
import org.sotto.client.storage.IdentityLedger;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.fingerprint.NumericFingerprintGenerator;

/**
 * Read-only views of what this device knows about other accounts (contacts and trusted identity
 * keys, with their trust state), and the bookkeeping of verifications and seen key changes. Works
 * from the local store only: no network. Thread-safe (each call is its own store transaction).
 */
final class Directory {
  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final IdentityLedger ledger;
  private final ProtocolAddress local;
  private final Clock clock;

  Directory(LocalStore store, SqliteProtocolStore protocol, ProtocolAddress local, Clock clock) {
    this.store = store;
    this.protocol = protocol;
    this.ledger = new IdentityLedger(store);
    this.local = local;
    this.clock = clock;
  }

  /** Every contact, ordered by account id. */
  List<ContactInfo> contacts() throws SottoException {
    List<Contact> all = Errors.storage(() -> store.contacts().all());
    List<ContactInfo> out = new ArrayList<>(all.size());
    for (Contact c : all) {
      out.add(new ContactInfo(new AccountId(c.accountId()), c.handle()));
    }
    return out;
  }

  /** The handle of {@code account}, when it is a contact with a handle. */
  Optional<String> handleOf(AccountId account) throws SottoException {
    return Errors.storage(() -> store.contacts().get(account.value())).flatMap(Contact::handle);
  }

  /** Every other account's trusted identity, ordered by account id. */
  List<IdentityInfo> identities() throws SottoException {
    Map<String, IdentityKey> keys = Errors.storage(protocol::trustedIdentities);
    Map<UUID, Optional<String>> handles = new HashMap<>();
    for (Contact c : Errors.storage(() -> store.contacts().all())) {
      handles.put(c.accountId(), c.handle());
    }
    List<IdentityInfo> out = new ArrayList<>();
    for (Map.Entry<String, IdentityKey> e : keys.entrySet()) {
      if (e.getKey().equals(local.name())) {
        continue; // Our own other devices share our identity: nothing to trust.
      }
      AccountId id;
      try {
        id = AccountId.parse(e.getKey());
      } catch (IllegalArgumentException bad) {
        continue; // Not an account address; nothing a user could act on.
      }
      Optional<IdentityLedger.Entry> entry =
          Errors.storage(() -> ledger.get(e.getKey())).filter(l -> l.isFor(e.getValue()));
      IdentityInfo.Trust trust =
          entry.isEmpty()
              ? IdentityInfo.Trust.TRUSTED_UNVERIFIED
              : entry.get().changeSeen()
                  ? IdentityInfo.Trust.UNTRUSTED
                  : entry.get().verified()
                      ? IdentityInfo.Trust.VERIFIED
                      : IdentityInfo.Trust.TRUSTED_UNVERIFIED;
      out.add(
          new IdentityInfo(
              id,
              handles.getOrDefault(id.value(), Optional.empty()),
              safetyNumber(id, e.getValue()),
              trust,
              entry.map(IdentityLedger.Entry::addedAt)));
    }
    return out;
  }

  /** Marks the stored key of {@code id} verified (called right after it was trusted). */
  void markVerified(AccountId id) throws SottoException {
    IdentityKey key = Errors.storage(protocol::trustedIdentities).get(id.toString());
    if (key == null) {
      throw new SottoException("no identity key is stored for " + id);
    }
    Errors.storage(
        () -> {
          ledger.verified(id.toString(), key, clock.instant());
          return null;
        });
  }

  /** Records that {@code account} showed a key other than the trusted one. */
  void markChangeSeen(String account) throws SottoException {
    Errors.storage(
        () -> {
          ledger.changeSeen(account);
          return null;
        });
  }

  /**
   * Records that the account remembered for {@code recipient} (a handle) showed another identity:
   * the handle now belongs to another key, so the remembered one is no longer the one to trust.
   */
  void markHandleChanged(String recipient) throws SottoException {
    if (recipient == null || !Recipients.isHandle(recipient)) {
      return; // An account id: the protocol-level check marks it (see markChangeSeen).
    }
    Optional<Contact> known = Errors.storage(() -> store.contacts().byHandle(recipient));
    if (known.isPresent()) {
      markChangeSeen(known.get().accountId().toString());
    }
  }

  /** The safety number of us and {@code id} with {@code theirs}: no network. */
  String safetyNumber(AccountId id, IdentityKey theirs) {
    IdentityKey ours = protocol.getIdentityKeyPair().identityKey();
    return new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS)
        .createFor(
            NumericFingerprintGenerator.VERSION,
            NumericFingerprintGenerator.uuidIdentifier(local.name()),
            ours,
            NumericFingerprintGenerator.uuidIdentifier(id.value()),
            theirs)
        .displayable()
        .getDisplayText();
  }

  /** Whether {@code given} (spaces ignored) equals {@code expected}, in constant time. */
  static boolean sameNumber(String expected, String given) {
    String digits = given.replaceAll("\\s", "");
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), digits.getBytes(StandardCharsets.US_ASCII));
  }
}
