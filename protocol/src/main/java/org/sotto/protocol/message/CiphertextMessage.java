package org.sotto.protocol.message;

/**
 * An encrypted protocol message as it travels between devices. The type numbers are libsignal's.
 * Implementations are immutable and thread-safe.
 */
public sealed interface CiphertextMessage permits SignalMessage, PreKeySignalMessage {
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

  /** The message type: {@link #WHISPER_TYPE} or {@link #PREKEY_TYPE}. */
  int type();

  /** The serialized message (a copy). */
  byte[] serialize();
}
