package org.sotto.protocol.groups;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.ProtocolAddress;

/**
 * An in-memory sender-key store that keeps records serialized (parsing on every load, serializing
 * on every store), as a persistent store does. Thread-safe.
 */
public final class InMemorySenderKeyStore implements SenderKeyStore {
  private record Key(ProtocolAddress sender, UUID distributionId) {}

  private final Map<Key, byte[]> records = new ConcurrentHashMap<>();

  @Override
  public void storeSenderKey(ProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
    Objects.requireNonNull(record, "record");
    records.put(key(sender, distributionId), record.serialize());
  }

  @Override
  public SenderKeyRecord loadSenderKey(ProtocolAddress sender, UUID distributionId) {
    byte[] b = records.get(key(sender, distributionId));
    if (b == null) {
      return null;
    }
    try {
      return SenderKeyRecord.fromBytes(b);
    } catch (InvalidRecordException e) {
      throw new AssertionError("we wrote this record", e);
    }
  }

  private static Key key(ProtocolAddress sender, UUID distributionId) {
    return new Key(
        Objects.requireNonNull(sender, "sender"),
        Objects.requireNonNull(distributionId, "distributionId"));
  }

  @Override
  public String toString() {
    return "InMemorySenderKeyStore[" + records.size() + " records]";
  }
}
