package org.sotto.server.store;

import java.util.Optional;
import org.sotto.api.AccountId;

/**
 * Accounts, handles and profiles. Implementations are thread-safe; writes are durable when they
 * return.
 */
public interface AccountStore {
  /**
   * Thrown by {@link #create} and {@link #setHandle} when the handle belongs to another account.
   */
  final class HandleTakenException extends Exception {
    private static final long serialVersionUID = 1L;

    /** No message detail: the handle is user data. */
    public HandleTakenException() {
      super("handle taken", null, false, false);
    }
  }

  /** Creates the account with its first device (id 1) and that device's keys, atomically. */
  void create(AccountRecord account, NewDevice firstDevice) throws HandleTakenException;

  /** The account, if it exists. */
  Optional<AccountRecord> find(AccountId id);

  /** The account owning {@code handle} (lower case), if any. */
  Optional<AccountId> findByHandle(String handle);

  /** Sets or replaces the account's handle. */
  void setHandle(AccountId id, String handle) throws HandleTakenException;

  /** Removes the account's handle. */
  void clearHandle(AccountId id);

  /**
   * Records that the account was seen on {@code day}; a no-op when already recorded for that day.
   */
  void touch(AccountId id, long day);

  /**
   * Deletes the account and everything that belongs to it (devices, keys, queues, profile),
   * immediately.
   */
  void delete(AccountId id);

  /** Sets the encrypted profile blob and the unidentified-delivery token. */
  void setProfile(AccountId id, byte[] blob, byte[] unidentifiedAccessKey);

  /** The encrypted profile blob, if one was set. */
  Optional<byte[]> profile(AccountId id);

  /** The unidentified-delivery token, if one was set. */
  Optional<byte[]> unidentifiedAccessKey(AccountId id);
}
