package org.sotto.protocol.property;

import org.sotto.protocol.TestParty;
import org.sotto.protocol.ecc.ECPublicKey;

/**
 * One encrypted message on the simulated network, with what the test knows about it: its plaintext,
 * the sender's ratchet key (which receiving chain it belongs to) and what has happened to it.
 * Mutable; used by one schedule.
 */
final class Envelope {
  final int id;
  final TestParty from;
  final TestParty to;
  final int type;
  final byte[] serialized;
  final byte[] plaintext;
  final ECPublicKey chain;

  /** Decrypted once: every later delivery is a replay. */
  boolean delivered;

  /**
   * Held back by the network until the end of the schedule: by then its chain may have been
   * evicted, which is how schedules reach that case.
   */
  boolean delayed;

  /** Dropped by the network: never delivered untampered. */
  boolean dropped;

  /** Its receiving chain was evicted before it arrived: it can no longer be decrypted. */
  boolean expired;

  Envelope(
      int id,
      TestParty from,
      TestParty to,
      int type,
      byte[] serialized,
      byte[] plaintext,
      ECPublicKey chain) {
    this.id = id;
    this.from = from;
    this.to = to;
    this.type = type;
    this.serialized = serialized;
    this.plaintext = plaintext;
    this.chain = chain;
  }

  boolean pending() {
    return !delivered && !dropped && !expired;
  }

  @Override
  public String toString() {
    return "#" + id + " (type " + type + ")";
  }
}
