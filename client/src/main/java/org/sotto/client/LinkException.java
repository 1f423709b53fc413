package org.sotto.client;

/**
 * Linking a device failed; {@link #kind()} says why. Messages name the case only, never a key, a
 * provisioning code or an address.
 */
public final class LinkException extends SottoException {
  private static final long serialVersionUID = 1L;

  /** Why linking failed. */
  public enum Kind {
    /** The link URI is not a {@code sotto://link?uuid=…&pub_key=…} URI with valid values. */
    INVALID_LINK_URI("not a valid device link URI"),
    /** No device waits at the URI's address (it gave up, or the URI was used already). */
    NO_DEVICE_WAITING("no new device waits at this link URI any more"),
    /** No provisioning message arrived in time. */
    TIMED_OUT("no existing device answered in time"),
    /** The provisioning connection ended before a message arrived. */
    CONNECTION_CLOSED("the provisioning connection ended before a device answered"),
    /** The provisioning message did not decrypt or does not parse. */
    INVALID_MESSAGE("the provisioning message is invalid"),
    /** The server refused the provisioning code (wrong, used or expired). */
    CODE_REJECTED("the server refused the provisioning code"),
    /** The account has as many devices as the server allows. */
    TOO_MANY_DEVICES("the account has the most devices the server allows");

    private final String message;

    Kind(String message) {
      this.message = message;
    }
  }

  private final Kind kind;

  /** A failure of {@code kind}. */
  public LinkException(Kind kind) {
    super(kind.message);
    this.kind = kind;
  }

  /** A failure of {@code kind} with its cause. */
  public LinkException(Kind kind, Throwable cause) {
    super(kind.message, cause);
    this.kind = kind;
  }

  /** Why linking failed. */
  public Kind kind() {
    return kind;
  }
}
