package org.sotto.server.auth;

import org.sotto.api.Address;

/** Who made a request. Immutable. */
public sealed interface Caller {
  /** An authenticated device. */
  record Device(Address address) implements Caller {}

  /**
   * A sealed-sender caller who presented an Unidentified-Access-Key; it is checked against the
   * recipient by the route, in constant time. {@link #toString()} never prints the key.
   */
  record Unidentified(byte[] accessKey) implements Caller {
    @Override
    public String toString() {
      return "Unidentified[accessKey=<redacted>]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unidentified u
          && java.security.MessageDigest.isEqual(accessKey, u.accessKey);
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** No credentials. */
  record Anonymous() implements Caller {}
}
