package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;

/**
 * The wire-message parsers on arbitrary bytes: they accept or throw {@link
 * InvalidMessageException}, nothing else, and whatever they accept is internally consistent and
 * parses again to the same message.
 */
class WireMessageFuzzTest {
  /** Any 32 bytes serve as a MAC key: only that checking a MAC never throws matters here. */
  private static final byte[] MAC_KEY = new byte[32];

  @FuzzTest
  void signalMessageFromBytes_anyBytes_roundTripsOrThrowsInvalidMessage(byte[] input) {
    SignalMessage message;
    try {
      message = SignalMessage.fromBytes(input);
    } catch (InvalidMessageException e) {
      return;
    }
    assertSignalMessageConsistent(message, input);
  }

  @FuzzTest
  void preKeySignalMessageFromBytes_anyBytes_roundTripsOrThrowsInvalidMessage(byte[] input) {
    PreKeySignalMessage message;
    try {
      message = PreKeySignalMessage.fromBytes(input);
    } catch (InvalidMessageException e) {
      return;
    }
    assertArrayEquals(input, message.serialize());
    assertEquals(CiphertextMessage.PREKEY_TYPE, message.type());
    assertEquals(CiphertextMessage.CURRENT_VERSION, message.messageVersion());
    assertEquals(message.messageVersion(), message.message().messageVersion());
    assertNotNull(message.baseKey());
    assertNotNull(message.identityKey());
    assertEquals(1569, message.kyberCiphertext().length);
    assertSignalMessageConsistent(message.message(), message.message().serialize());
    assertEquals(message, reparsePreKey(message.serialize()));
    assertNotNull(message.toString());
  }

  private static void assertSignalMessageConsistent(SignalMessage message, byte[] input) {
    assertArrayEquals(input, message.serialize());
    assertEquals(CiphertextMessage.WHISPER_TYPE, message.type());
    int version = message.messageVersion();
    assertTrue(
        version >= CiphertextMessage.MIN_PARSED_VERSION
            && version <= CiphertextMessage.CURRENT_VERSION,
        "accepted version " + version);
    assertTrue(message.counter() >= 0, "accepted negative counter " + message.counter());
    assertEquals(33, message.senderRatchetKey().serialize().length);
    assertNotNull(message.ciphertext());
    // An all-zero MAC key is not the sender's: the check must answer, and answer no.
    assertFalse(
        message.verifyMac(
            FuzzFixture.get().aliceIdentityKey(),
            FuzzFixture.get().bobIdentity.identityKey(),
            MAC_KEY));
    assertEquals(message, reparse(message.serialize()));
    assertNotNull(message.toString());
  }

  private static SignalMessage reparse(byte[] serialized) {
    try {
      return SignalMessage.fromBytes(serialized);
    } catch (InvalidMessageException e) {
      throw new AssertionError("a message we accepted no longer parses", e);
    }
  }

  private static PreKeySignalMessage reparsePreKey(byte[] serialized) {
    try {
      return PreKeySignalMessage.fromBytes(serialized);
    } catch (InvalidMessageException e) {
      throw new AssertionError("a message we accepted no longer parses", e);
    }
  }
}
