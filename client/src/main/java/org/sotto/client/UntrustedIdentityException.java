package org.sotto.client;

import java.util.Objects;

/**
 * The recipient's identity key differs from the one trusted earlier (trust on first use): the
 * recipient re-registered, or someone is in the middle. Nothing was sent. After checking the safety
 * number, {@link SottoClient#trust(String)} accepts the new identity.
 */
public final class UntrustedIdentityException extends SottoException {
  private static final long serialVersionUID = 1L;

  private final String recipient;

  /** The identity of {@code recipient} (a handle or account id, as the caller named it) changed. */
  public UntrustedIdentityException(String recipient) {
    super("the recipient's identity has changed");
    this.recipient = Objects.requireNonNull(recipient, "recipient");
  }

  /** The recipient as the caller named it. */
  public String recipient() {
    return recipient;
  }
}
