package org.sotto.client;

/** A device of this account cannot be managed as asked; {@link #kind()} says why. */
public final class DeviceException extends SottoException {
  private static final long serialVersionUID = 1L;

  /** Why the request was refused. */
  public enum Kind {
    /** The device asked to remove is this one; remove it from another device. */
    THIS_DEVICE("this device cannot remove itself; remove it from another device"),
    /** The account has no device with this id. */
    NO_SUCH_DEVICE("the account has no such device"),
    /** Device 1 (the primary) cannot be removed; delete the account instead. */
    PRIMARY_DEVICE("device 1 cannot be removed; delete the account instead");

    private final String message;

    Kind(String message) {
      this.message = message;
    }
  }

  private final Kind kind;

  /** A refusal of {@code kind}. */
  public DeviceException(Kind kind) {
    super(kind.message);
    this.kind = kind;
  }

  /** A refusal of {@code kind} with its cause. */
  public DeviceException(Kind kind, Throwable cause) {
    super(kind.message, cause);
    this.kind = kind;
  }

  /** Why the request was refused. */
  public Kind kind() {
    return kind;
  }
}
