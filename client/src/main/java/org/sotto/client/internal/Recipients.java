package org.sotto.client.internal;

import java.util.Optional;
import org.sotto.api.AccountId;
import org.sotto.api.ApiChecks;
import org.sotto.client.SottoException;
import org.sotto.client.UnknownRecipientException;
import org.sotto.client.UntrustedIdentityException;
import org.sotto.client.storage.Contact;
import org.sotto.client.storage.LocalStore;
import org.sotto.client.storage.SqliteProtocolStore;
import org.sotto.client.transport.ServerApi;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.ProtocolAddress;

/**
 * Resolves a recipient named by handle or account id, and guards handles: when a handle we talked
 * to now belongs to another account with another identity key (its owner re-registered, or the
 * server hands the name to someone else), sending stops with {@link UntrustedIdentityException}
 * until the user trusts the new account. Not thread-safe: the client calls it under its own lock.
 */
final class Recipients {
  /** Length of an account id's text form (a UUID). */
  private static final int UUID_CHARS = 36;

  private final LocalStore store;
  private final SqliteProtocolStore protocol;
  private final ServerApi api;

  Recipients(LocalStore store, SqliteProtocolStore protocol, ServerApi api) {
    this.store = store;
    this.protocol = protocol;
    this.api = api;
  }

  /**
   * The account to send to: the one remembered for the handle, else the server's answer (handle
   * lookups are rate-limited by the server, so they are not repeated for every message).
   */
  AccountId resolve(String recipient) throws SottoException, InterruptedException {
    Optional<AccountId> direct = accountId(recipient);
    if (direct.isPresent()) {
      return direct.get();
    }
    String handle = handle(recipient);
    Optional<Contact> known = Errors.storage(() -> store.contacts().byHandle(handle));
    return known.isPresent() ? new AccountId(known.get().accountId()) : refresh(recipient);
  }

  /** Whether {@code recipient} is a handle (not an account id). */
  static boolean isHandle(String recipient) {
    return accountId(recipient).isEmpty();
  }

  /**
   * Asks the server which account has the handle now and remembers it (trust on first use); when it
   * moved to another account with another identity key, throws instead.
   */
  AccountId refresh(String recipient) throws SottoException, InterruptedException {
    String handle = handle(recipient);
    AccountId now = serverLookup(recipient, handle);
    Optional<Contact> known = Errors.storage(() -> store.contacts().byHandle(handle));
    if (known.isPresent() && !known.get().accountId().equals(now.value())) {
      IdentityKey trusted =
          protocol.getIdentity(new ProtocolAddress(known.get().accountId().toString(), 1));
      if (trusted != null) {
        IdentityKey current =
            Sessions.identity(Errors.transport(() -> api.profile(now)).identityKey());
        if (!current.equals(trusted)) {
          throw new UntrustedIdentityException(recipient);
        }
      }
    }
    if (known.isEmpty() || !known.get().accountId().equals(now.value())) {
      remember(handle, now, known);
    }
    return now;
  }

  /** The handle's current account, remembered as trusted (for {@code trust}). */
  AccountId accept(String recipient) throws SottoException, InterruptedException {
    Optional<AccountId> direct = accountId(recipient);
    if (direct.isPresent()) {
      return direct.get();
    }
    String handle = handle(recipient);
    AccountId now = serverLookup(recipient, handle);
    Optional<Contact> known = Errors.storage(() -> store.contacts().byHandle(handle));
    if (known.isEmpty() || !known.get().accountId().equals(now.value())) {
      remember(handle, now, known);
    }
    return now;
  }

  /**
   * The account the server gives {@code recipient} now (an account id as is): the one {@link
   * #accept} would trust, so a safety number shown before trusting is computed for it.
   */
  AccountId current(String recipient) throws SottoException, InterruptedException {
    Optional<AccountId> direct = accountId(recipient);
    if (direct.isPresent()) {
      return direct.get();
    }
    return serverLookup(recipient, handle(recipient));
  }

  /** The account a handle had when we last used it (for history), else the server's. */
  AccountId known(String recipient) throws SottoException, InterruptedException {
    Optional<AccountId> direct = accountId(recipient);
    if (direct.isPresent()) {
      return direct.get();
    }
    String handle = handle(recipient);
    Optional<Contact> known = Errors.storage(() -> store.contacts().byHandle(handle));
    return known.isPresent()
        ? new AccountId(known.get().accountId())
        : serverLookup(recipient, handle);
  }

  private void remember(String handle, AccountId now, Optional<Contact> old) throws SottoException {
    Errors.storage(
        () ->
            store.atomically(
                () -> {
                  if (old.isPresent()) {
                    // Handles are unique among contacts: the old account loses this one.
                    store
                        .contacts()
                        .put(
                            new Contact(
                                old.get().accountId(),
                                Optional.empty(),
                                old.get().profileName(),
                                old.get().unidentifiedAccessKey()));
                  }
                  Optional<Contact> existing = store.contacts().get(now.value());
                  store
                      .contacts()
                      .put(
                          new Contact(
                              now.value(),
                              Optional.of(handle),
                              existing.flatMap(Contact::profileName),
                              existing.flatMap(Contact::unidentifiedAccessKey)));
                  return null;
                }));
  }

  private AccountId serverLookup(String recipient, String handle)
      throws SottoException, InterruptedException {
    return Errors.transport(() -> api.lookupHandle(handle))
        .orElseThrow(() -> new UnknownRecipientException(recipient));
  }

  private static Optional<AccountId> accountId(String recipient) {
    if (recipient == null || recipient.length() != UUID_CHARS) {
      return Optional.empty();
    }
    try {
      return Optional.of(AccountId.parse(recipient));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String handle(String recipient) throws UnknownRecipientException {
    try {
      return ApiChecks.handle(recipient, "recipient");
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new UnknownRecipientException(String.valueOf(recipient));
    }
  }
}
