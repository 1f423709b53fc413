package org.sotto.client.storage;

import java.util.Objects;

/**
 * A {@link StorageException} thrown through an interface that cannot declare it: the protocol's
 * store interfaces ({@link org.sotto.protocol.state.SignalProtocolStore}) have no checked storage
 * failures. Callers that drive the protocol catch this and unwrap {@link #getCause()}.
 */
public final class UncheckedStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}, keeping its message. */
  public UncheckedStorageException(StorageException cause) {
    super(Objects.requireNonNull(cause, "cause").getMessage(), cause);
  }

  @Override
  public synchronized StorageException getCause() {
    return (StorageException) super.getCause();
  }
}
