package org.sotto.server.store;

/**
 * An attachment upload as stored: its random id, the declared length, how many bytes are durably
 * received, and when it was created (epoch ms, for the 30-day expiry). Not linked to any account.
 * Immutable.
 */
public record AttachmentRecord(String id, long length, long received, long createdMs) {
  /** Whether every declared byte has arrived. */
  public boolean complete() {
    return received == length;
  }
}
