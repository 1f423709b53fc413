package org.sotto.protocol.internal;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.sotto.protocol.ProtocolAddress;

/**
 * The {@code addresses} field of a SignalMessage inside a PreKeySignalMessage: {@code 0x00 ‖ uuid16
 * ‖ senderDevice ‖ 0x00 ‖ uuid16 ‖ recipientDevice} (36 bytes), present only when both names are
 * UUIDs. Stateless, thread-safe.
 */
public final class Addresses {
  /** Length of the encoded field. */
  public static final int LENGTH = 36;

  /** Service-id kind byte of an account identifier (ACI). */
  private static final byte ACI_KIND = 0x00;

  private Addresses() {}

  /** The encoded field, or null if either name is not a UUID string. */
  public static byte[] encode(ProtocolAddress sender, ProtocolAddress recipient) {
    UUID s = parseUuid(sender.name());
    UUID r = parseUuid(recipient.name());
    if (s == null || r == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put(ACI_KIND).putLong(s.getMostSignificantBits()).putLong(s.getLeastSignificantBits());
    b.put((byte) sender.deviceId());
    b.put(ACI_KIND).putLong(r.getMostSignificantBits()).putLong(r.getLeastSignificantBits());
    b.put((byte) recipient.deviceId());
    return b.array();
  }

  private static UUID parseUuid(String name) {
    if (name.length() != 36) {
      return null;
    }
    try {
      UUID u = UUID.fromString(name);
      return u.toString().equalsIgnoreCase(name) ? u : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
