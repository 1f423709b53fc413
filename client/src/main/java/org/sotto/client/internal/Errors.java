package org.sotto.client.internal;

import org.sotto.client.SottoException;
import org.sotto.client.storage.StorageException;
import org.sotto.client.storage.UncheckedStorageException;
import org.sotto.client.transport.TransportException;

/**
 * Turns storage and transport failures into {@link SottoException}s, keeping the original as the
 * cause (so a caller can tell, say, a wrong passphrase from an unreachable server). Their messages
 * carry no user data, so they are reused.
 */
final class Errors {
  /** Work on the local store. */
  @FunctionalInterface
  interface StorageCall<T, E extends Exception> {
    T call() throws E, StorageException;
  }

  /** A call to the server. */
  @FunctionalInterface
  interface TransportCall<T> {
    T call() throws TransportException, InterruptedException;
  }

  private Errors() {}

  static <T, E extends Exception> T storage(StorageCall<T, E> call) throws E, SottoException {
    try {
      return call.call();
    } catch (StorageException e) {
      throw local(e);
    } catch (UncheckedStorageException e) {
      throw local(e.getCause());
    }
  }

  static <T> T transport(TransportCall<T> call) throws SottoException, InterruptedException {
    try {
      return call.call();
    } catch (TransportException e) {
      throw server(e);
    }
  }

  static SottoException local(StorageException e) {
    return new SottoException("local store: " + e.getMessage(), e);
  }

  static SottoException server(TransportException e) {
    return new SottoException(e.getMessage(), e);
  }
}
