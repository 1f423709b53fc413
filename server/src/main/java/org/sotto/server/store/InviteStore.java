package org.sotto.server.store;

/** Operator-issued invite codes, stored hashed, each usable once. Thread-safe. */
public interface InviteStore {
  /** Stores a new code's hash. */
  void add(byte[] codeHash, long createdMs);

  /** Uses up a code: true if it existed (it is gone now). */
  boolean consume(byte[] codeHash);
}
