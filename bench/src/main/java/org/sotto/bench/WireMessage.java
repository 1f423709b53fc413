package org.sotto.bench;

/**
 * A ciphertext as it travels: its type ({@code CiphertextMessage.PREKEY_TYPE} or {@code
 * WHISPER_TYPE}) and its serialized bytes, which the receiver parses inside the measured operation.
 *
 * @param type the ciphertext message type
 * @param bytes the serialized message
 */
record WireMessage(int type, byte[] bytes) {}
