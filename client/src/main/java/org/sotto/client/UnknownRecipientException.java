package org.sotto.client;

/** No account has this handle, or the recipient is neither a handle nor an account id. */
public final class UnknownRecipientException extends SottoException {
  private static final long serialVersionUID = 1L;

  private final String recipient;

  /** {@code recipient} names no account (kept out of the message: it may be a personal name). */
  public UnknownRecipientException(String recipient) {
    super("unknown recipient");
    this.recipient = recipient;
  }

  /** The recipient as the caller named it. */
  public String recipient() {
    return recipient;
  }
}
