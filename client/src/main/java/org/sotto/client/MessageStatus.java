package org.sotto.client;

/**
 * How far one of our sent messages got with one recipient, as receipts tell. Only moves forward:
 * SENT, then DELIVERED, then READ (a read receipt also means delivered).
 */
public enum MessageStatus {
  /** The server accepted it. */
  SENT,
  /** A device of the recipient received and stored it. */
  DELIVERED,
  /** The recipient read it. */
  READ
}
