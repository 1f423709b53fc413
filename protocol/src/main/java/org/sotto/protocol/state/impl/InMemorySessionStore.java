package org.sotto.protocol.state.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.state.SessionRecord;
import org.sotto.protocol.state.SessionStore;

/**
 * An in-memory session store that keeps records serialized (parsing on every load, serializing on
 * every store), as a persistent store does. Thread-safe.
 */
public final class InMemorySessionStore implements SessionStore {
  private final Map<ProtocolAddress, byte[]> sessions = new ConcurrentHashMap<>();

  @Override
  public SessionRecord loadSession(ProtocolAddress address) {
    byte[] b = sessions.get(address);
    if (b == null) {
      return null;
    }
    try {
      return SessionRecord.fromBytes(b);
    } catch (InvalidRecordException e) {
      throw new AssertionError("we wrote this record", e);
    }
  }

  @Override
  public List<Integer> getSubDeviceSessions(String name) {
    List<Integer> out = new ArrayList<>();
    for (ProtocolAddress a : sessions.keySet()) {
      if (a.name().equals(name) && a.deviceId() != 1) {
        out.add(a.deviceId());
      }
    }
    return out;
  }

  @Override
  public void storeSession(ProtocolAddress address, SessionRecord record) {
    sessions.put(address, record.serialize());
  }

  @Override
  public boolean containsSession(ProtocolAddress address) {
    SessionRecord r = loadSession(address);
    return r != null && r.hasCurrentState();
  }

  @Override
  public void deleteSession(ProtocolAddress address) {
    sessions.remove(address);
  }

  @Override
  public void deleteAllSessions(String name) {
    sessions.keySet().removeIf(a -> a.name().equals(name));
  }
}
