package org.sotto.protocol.state;

import java.util.List;
import org.sotto.protocol.ProtocolAddress;

/** Session records per remote device. Implementations say if thread-safe. */
public interface SessionStore {
  /** The record for {@code address} (a copy the caller may change), or null if there is none. */
  SessionRecord loadSession(ProtocolAddress address);

  /** Device ids (other than 1) with which we have sessions for this name. */
  List<Integer> getSubDeviceSessions(String name);

  /** Stores the record for {@code address}. */
  void storeSession(ProtocolAddress address, SessionRecord record);

  /** Whether a record with a current state exists for {@code address}. */
  boolean containsSession(ProtocolAddress address);

  /** Deletes the record for {@code address}. */
  void deleteSession(ProtocolAddress address);

  /** Deletes the records of every device of {@code name}. */
  void deleteAllSessions(String name);
}
