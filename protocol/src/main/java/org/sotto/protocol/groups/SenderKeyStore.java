package org.sotto.protocol.groups;

import java.util.UUID;
import org.sotto.protocol.ProtocolAddress;

/**
 * Sender-key records, one per (sender device, distribution id): our own sending keys under our own
 * address, and the keys other members distributed to us. Implementations say whether they are
 * thread-safe; {@link GroupCipher} and {@link GroupSessionBuilder} assume that operations on one
 * (sender, distribution id) are not run concurrently.
 */
public interface SenderKeyStore {
  /** Stores {@code record} for {@code sender} and {@code distributionId}, replacing any. */
  void storeSenderKey(ProtocolAddress sender, UUID distributionId, SenderKeyRecord record);

  /**
   * The record for {@code sender} and {@code distributionId} (a copy the caller may change), or
   * null if there is none.
   */
  SenderKeyRecord loadSenderKey(ProtocolAddress sender, UUID distributionId);
}
