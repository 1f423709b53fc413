package org.sotto.protocol.message;

/**
 * An encrypted protocol message as it travels between devices. The type numbers are libsignal's.
 * Implementations are immutable and thread-safe.
 */
public sealed interface CiphertextMessage
    permits SignalMessage, PreKeySignalMessage, SenderKeyMessage {
  /** The current (PQXDH) message version. */
  int CURRENT_VERSION = 4;

  /**
   * The oldest message version whose framing we still parse (it is then rejected by the session).
   */
  int MIN_PARSED_VERSION = 3;

  /** Type of a {@link SignalMessage}. */
  int WHISPER_TYPE = 2;

  /** Type of a {@link PreKeySignalMessage}. */
  int PREKEY_TYPE = 3;

  /** Type of a {@link SenderKeyMessage} (a group message). */
  int SENDERKEY_TYPE = 7;

  /** The message type: {@link #WHISPER_TYPE}, {@link #PREKEY_TYPE} or {@link #SENDERKEY_TYPE}. */
  int type();

  /** The serialized message (a copy). */
  byte[] serialize();
}
