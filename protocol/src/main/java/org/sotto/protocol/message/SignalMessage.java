package org.sotto.protocol.message;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.Objects;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.internal.Crypto;
import org.sotto.protocol.internal.proto.WireProtos;

/**
 * A Double Ratchet message (type 2): {@code version ‖ protobuf ‖ MAC(8)}. The MAC is HMAC-SHA256
 * over both identity keys, the version byte and the protobuf, truncated to 8 bytes. Immutable and
 * thread-safe.
 */
public final class SignalMessage implements CiphertextMessage {
  /** Length of the truncated MAC appended to the message. */
  public static final int MAC_LENGTH = 8;

  private final int messageVersion;
  private final ECPublicKey senderRatchetKey;
  private final int counter;
  private final int previousCounter;
  private final byte[] ciphertext;
  private final byte[] addresses;
  private final byte[] pqRatchet;
  private final byte[] serialized;

  private SignalMessage(
      int messageVersion,
      ECPublicKey senderRatchetKey,
      int counter,
      int previousCounter,
      byte[] ciphertext,
      byte[] addresses,
      byte[] pqRatchet,
      byte[] serialized) {
    this.messageVersion = messageVersion;
    this.senderRatchetKey = senderRatchetKey;
    this.counter = counter;
    this.previousCounter = previousCounter;
    this.ciphertext = ciphertext;
    this.addresses = addresses;
    this.pqRatchet = pqRatchet;
    this.serialized = serialized;
  }

  /** Parses a serialized message; anything malformed gives {@link InvalidMessageException}. */
  public static SignalMessage fromBytes(byte[] serialized) throws InvalidMessageException {
    if (serialized == null || serialized.length < 1 + MAC_LENGTH) {
      throw new InvalidMessageException("message too short");
    }
    int version = checkVersion(serialized[0]);
    WireProtos.SignalMessage proto;
    try {
      proto =
          WireProtos.SignalMessage.parseFrom(
              ByteString.copyFrom(serialized, 1, serialized.length - 1 - MAC_LENGTH));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed message", e);
    }
    if (!proto.hasRatchetKey() || !proto.hasCounter() || !proto.hasCiphertext()) {
      throw new InvalidMessageException("incomplete message");
    }
    if (proto.getCounter() < 0) {
      throw new InvalidMessageException("counter out of range");
    }
    ECPublicKey ratchetKey;
    try {
      ratchetKey = ECPublicKey.fromBytes(proto.getRatchetKey().toByteArray());
    } catch (InvalidKeyException e) {
      throw new InvalidMessageException("invalid ratchet key", e);
    }
    return new SignalMessage(
        version,
        ratchetKey,
        proto.getCounter(),
        proto.getPreviousCounter(),
        proto.getCiphertext().toByteArray(),
        proto.hasAddresses() ? proto.getAddresses().toByteArray() : null,
        proto.hasPqRatchet() ? proto.getPqRatchet().toByteArray() : null,
        serialized.clone());
  }

  /**
   * Builds and MACs a message.
   *
   * @param addresses the 36-byte addresses field, or null to omit it
   * @param pqRatchet the {@code pq_ratchet} field (SPQR), or null to omit it
   */
  public static SignalMessage create(
      int messageVersion,
      byte[] macKey,
      ECPublicKey senderRatchetKey,
      int counter,
      int previousCounter,
      byte[] ciphertext,
      IdentityKey senderIdentity,
      IdentityKey receiverIdentity,
      byte[] addresses,
      byte[] pqRatchet) {
    WireProtos.SignalMessage.Builder proto =
        WireProtos.SignalMessage.newBuilder()
            .setRatchetKey(ByteString.copyFrom(senderRatchetKey.serialize()))
            .setCounter(counter)
            .setPreviousCounter(previousCounter)
            .setCiphertext(ByteString.copyFrom(ciphertext));
    if (addresses != null) {
      proto.setAddresses(ByteString.copyFrom(addresses));
    }
    if (pqRatchet != null) {
      proto.setPqRatchet(ByteString.copyFrom(pqRatchet));
    }
    byte[] body = proto.build().toByteArray();
    byte[] versioned = new byte[1 + body.length];
    versioned[0] = versionByte(messageVersion);
    System.arraycopy(body, 0, versioned, 1, body.length);
    byte[] mac = mac(senderIdentity, receiverIdentity, macKey, versioned);
    byte[] serialized = Arrays.copyOf(versioned, versioned.length + MAC_LENGTH);
    System.arraycopy(mac, 0, serialized, versioned.length, MAC_LENGTH);
    return new SignalMessage(
        messageVersion,
        senderRatchetKey,
        counter,
        previousCounter,
        ciphertext.clone(),
        addresses == null ? null : addresses.clone(),
        pqRatchet == null ? null : pqRatchet.clone(),
        serialized);
  }

  /** Checks the MAC in constant time. */
  public boolean verifyMac(
      IdentityKey senderIdentity, IdentityKey receiverIdentity, byte[] macKey) {
    byte[] versioned = Arrays.copyOf(serialized, serialized.length - MAC_LENGTH);
    byte[] expected = mac(senderIdentity, receiverIdentity, macKey, versioned);
    byte[] actual =
        Arrays.copyOfRange(serialized, serialized.length - MAC_LENGTH, serialized.length);
    return Crypto.constantTimeEquals(expected, actual);
  }

  private static byte[] mac(
      IdentityKey sender, IdentityKey receiver, byte[] macKey, byte[] versionedBody) {
    byte[] full =
        Crypto.hmacSha256(macKey, sender.serialize(), receiver.serialize(), versionedBody);
    return Arrays.copyOf(full, MAC_LENGTH);
  }

  static int checkVersion(byte versionByte) throws InvalidMessageException {
    int version = (versionByte & 0xFF) >>> 4;
    if (version < MIN_PARSED_VERSION) {
      throw new InvalidMessageException("legacy message version " + version);
    }
    if (version > CURRENT_VERSION) {
      throw new InvalidMessageException("unknown message version " + version);
    }
    return version;
  }

  static byte versionByte(int version) {
    return (byte) ((version << 4) | CURRENT_VERSION);
  }

  /** The message version (high nibble of the first byte). */
  public int messageVersion() {
    return messageVersion;
  }

  /** The sender's current ratchet public key. */
  public ECPublicKey senderRatchetKey() {
    return senderRatchetKey;
  }

  /** The index of this message in its sending chain. */
  public int counter() {
    return counter;
  }

  /** The sender's previous-chain counter (informational; ignored on receipt). */
  public int previousCounter() {
    return previousCounter;
  }

  /** The AES-CBC ciphertext (a copy). */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The addresses field, or null when absent. */
  public byte[] addresses() {
    return addresses == null ? null : addresses.clone();
  }

  /** The {@code pq_ratchet} field (SPQR; a copy), or null if the message has none. */
  public byte[] pqRatchet() {
    return pqRatchet == null ? null : pqRatchet.clone();
  }

  @Override
  public int type() {
    return WHISPER_TYPE;
  }

  @Override
  public byte[] serialize() {
    return serialized.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignalMessage other && Arrays.equals(serialized, other.serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "SignalMessage[v"
        + messageVersion
        + ", counter="
        + counter
        + ", "
        + Objects.toString(senderRatchetKey)
        + ", "
        + serialized.length
        + " B]";
  }
}
